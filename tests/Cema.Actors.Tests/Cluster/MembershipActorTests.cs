using System.Collections.Concurrent;
using Cema.Actors.Cloud;
using Cema.Actors.Cluster;
using Cema.Actors.Cluster.Membership;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Cluster;

/// <summary>The coordinator's membership over the in-process transport: welcome, heartbeats, unreachable, reachable, removed, left.</summary>
public sealed class MembershipActorTests : ActorTestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class FixedCoordinator : ReceiveActor
    {
        public FixedCoordinator() => Receive<GetCoordinatorStats>(_ => Sender.Tell(new CoordinatorStats([new SessionStats("g", 7, 0, 0, 0, 7, false)], 7, 0, 0)));
    }

    private static ClusterSettings Settings() => new("t", new Uri("amqp://localhost/"), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400),
        TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10), 4, 16, TimeSpan.FromMinutes(1), WireLimits.Default,
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), "edge", "foundation");

    [Fact]
    public async Task AJoinIsWelcomedWithTheLatestVersionAndSilenceMakesTheMemberUnreachableThenRemoved()
    {
        var settings = Settings();
        await using var transport = new InProcessTransport(new InProcessBroker(), new WireCodec(WireLimits.Default), TimeSpan.FromMilliseconds(10));
        await transport.DeclareAsync(settings.Topology.ControlInbox("e1", settings));
        var inbox = new ConcurrentQueue<object>();
        await using var consumer = await transport.ConsumeAsync(settings.Topology.NodeControl("e1"), 1, (d, _) =>
        {
            inbox.Enqueue(MembershipWire.FromWire(d.Message));
            return Task.CompletedTask;
        });
        var lines = new ConcurrentQueue<string>();
        var coordinator = Sys.ActorOf(Props.Create(() => new FixedCoordinator()));
        var membership = Sys.ActorOf(MembershipActor.Props(settings, "cloud", "inc-1", transport, coordinator, lines.Enqueue));

        membership.Tell(new MemberJoin("e1", MemberRole.Edge, "g", "a", 0));
        await AwaitConditionAsync(() => inbox.OfType<Welcomed>().Any(), Patience);
        Assert.Equal(new Welcomed("cloud", "g", 7), inbox.OfType<Welcomed>().First());
        // The coordinator's heartbeats tell the member the latest version of every group.
        await AwaitConditionAsync(() => inbox.OfType<CoordinatorHeartbeat>().Any(h => h.LatestVersions.GetValueOrDefault("g") == 7), Patience);

        await AwaitConditionAsync(() => lines.Any(l => l.StartsWith("member e1 (edge) unreachable")), Patience);
        membership.Tell(new MemberHeartbeat("e1", MemberRole.Edge, 1, "a", 7, 640, 64, 0, 0.5));
        await AwaitConditionAsync(() => lines.Any(l => l.StartsWith("member e1 (edge) reachable")), Patience);
        var table = await membership.Ask<MemberTable>(GetMembers.Instance);
        var member = Assert.Single(table.Members);
        Assert.Equal((7L, 640L), (member.ParamsVersion, member.FramesSeen));

        await AwaitConditionAsync(() => lines.Any(l => l.StartsWith("member e1 (edge) removed")), Patience);
        table = await membership.Ask<MemberTable>(GetMembers.Instance);
        Assert.Empty(table.Members);
        Assert.Equal(["joined", "unreachable", "reachable", "unreachable", "removed"], table.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task ALeaveRemovesTheMemberAtOnceAndAHeartbeatFromAnUnknownNodeMakesItAMember()
    {
        var settings = Settings() with { UnreachableAfter = TimeSpan.FromMinutes(1) };
        await using var transport = new InProcessTransport(new InProcessBroker(), new WireCodec(WireLimits.Default), TimeSpan.FromMilliseconds(10));
        await transport.DeclareAsync(settings.Topology.ControlInbox("d1", settings));
        var lines = new ConcurrentQueue<string>();
        var coordinator = Sys.ActorOf(Props.Create(() => new FixedCoordinator()));
        var membership = Sys.ActorOf(MembershipActor.Props(settings, "cloud", "inc-1", transport, coordinator, lines.Enqueue));

        // A distiller that joined an earlier coordinator only sends heartbeats.
        membership.Tell(new MemberHeartbeat("d1", MemberRole.Distiller, 9, "b", 0, 0, 0, 12, 0));
        var table = await membership.Ask<MemberTable>(GetMembers.Instance);
        Assert.Equal((MemberRole.Distiller, 12L), (Assert.Single(table.Members).Role, table.Members[0].StepsDone));
        Assert.Contains("by heartbeat", table.Events[0].Detail);

        membership.Tell(new MemberLeave("d1", "shutdown"));
        table = await membership.Ask<MemberTable>(GetMembers.Instance);
        Assert.Empty(table.Members);
        Assert.Contains(lines, l => l == "member d1 (distiller) left: shutdown");
        Assert.Contains("d1", MemberTableText.Render(new MemberTable([new Member("d1", MemberRole.Distiller, "", MemberStatus.Up, 0, 0, 0, 3, 0, DateTime.UtcNow, TimeSpan.Zero, "b")],
            new Dictionary<string, long> { ["g"] = 7 }, []), DateTime.UtcNow));
    }
}
