using System.Diagnostics;
using Cema.Actors.Cloud;
using Cema.Actors.Cluster.Transport;
using Envelope = Cema.Actors.Cluster.Wire.Proto.Envelope;
using Cema.Actors.Edge;
using Cema.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cluster.Membership;

/// <summary>
/// A member's side of membership (edge and distiller nodes). Sends Join until a Welcome comes, then a
/// heartbeat every interval with the node's figures (an edge's version, frames, uploads and accuracy from its
/// EdgeActor; a distiller node's steps). Watches the coordinator's heartbeats: silence for
/// <see cref="ClusterSettings.UnreachableAfter"/> is logged and makes it join again, as does a coordinator with
/// a new incarnation (restarted). An edge compares its version with the latest the coordinator reports: still
/// behind a version the coordinator already had one heartbeat earlier means an update was missed (at-most-once
/// pub-sub, a purged or overflowing inbox), and it asks for the latest.
/// </summary>
public sealed class MemberActor : ReceiveActor
{
    private sealed record Tick;
    private sealed record OwnFigures(EdgeStats? Edge);
    private sealed record Compare(EdgeStats? Stats, IReadOnlyDictionary<string, long> Latest);

    private readonly ClusterSettings settings;
    private readonly MemberJoin identity;
    private readonly IClusterTransport transport;
    private readonly IActorRef? edge;
    private readonly IActorRef? cloud;
    private readonly Func<long> stepsDone;
    private readonly Action<string> output;
    private bool welcomed;
    private long sequence;
    private long lastJoinSent;
    private long lastCoordinatorHeard = Stopwatch.GetTimestamp();
    private bool coordinatorSilent;
    private string? coordinatorIncarnation;
    private long? behindTarget;
    private long missedRequests;
    private bool leaving;
    private long? lastAsked;

    /// <param name="edge">The node's EdgeActor (null on a distiller node).</param>
    /// <param name="cloud">Where a LatestParamsRequest goes (the edge's <see cref="Bridges.CloudProxy"/>; null on a distiller node).</param>
    /// <param name="stepsDone">A distiller node's steps so far.</param>
    public MemberActor(ClusterSettings settings, MemberJoin identity, IClusterTransport transport, IActorRef? edge, IActorRef? cloud, Func<long> stepsDone, Action<string> output)
    {
        this.settings = settings;
        this.identity = identity;
        this.transport = transport;
        this.edge = edge;
        this.cloud = cloud;
        this.stepsDone = stepsDone;
        this.output = output;

        Receive<Tick>(_ => OnTick());
        Receive<OwnFigures>(figures => Beat(figures.Edge));
        Receive<Welcomed>(OnWelcome);
        Receive<CoordinatorHeartbeat>(OnCoordinatorHeartbeat);
        Receive<Compare>(OnCompare);
        ReceiveAsync<LeaveCluster>(async leave =>
        {
            // Nothing after the Leave: a later heartbeat would make the coordinator take the node in again.
            leaving = true;
            Timers.CancelAll();
            try
            {
                await transport.SendAsync(settings.Topology.Membership, MembershipWire.Leave(identity.Node, new MemberLeave(identity.Node, leave.Reason)));
                output($"{identity.Node}: left the cluster ({leave.Reason})");
            }
            catch (Exception e) when (e is TransportException or Wire.WireException)
            {
                output($"{identity.Node}: could not tell the coordinator it leaves: {e.Message}");
            }
            Sender.Tell(leave);
        });
    }

    public static Props Props(ClusterSettings settings, MemberJoin identity, IClusterTransport transport, IActorRef? edge, IActorRef? cloud, Func<long> stepsDone, Action<string> output) =>
        Runtime.Props.Create(() => new MemberActor(settings, identity, transport, edge, cloud, stepsDone, output));

    protected override void PreStart()
    {
        SendJoin();
        Timers.StartPeriodicTimer("tick", new Tick(), settings.HeartbeatInterval);
    }

    private void OnTick()
    {
        if (edge is null) Beat(null);
        else _ = edge.Ask<EdgeStats>(GetEdgeStats.Instance, settings.HeartbeatInterval).PipeTo(Self, success: s => new OwnFigures(s), failure: _ => new OwnFigures(null));

        var silence = Stopwatch.GetElapsedTime(lastCoordinatorHeard);
        if (!coordinatorSilent && silence > settings.UnreachableAfter)
        {
            coordinatorSilent = true;
            output($"{identity.Node}: coordinator unreachable (nothing heard for {silence.TotalSeconds:0.0}s); joining again when it answers");
            welcomed = false;
        }
        if (!welcomed && Stopwatch.GetElapsedTime(lastJoinSent) > settings.UnreachableAfter) SendJoin();
    }

    private void Beat(EdgeStats? stats)
    {
        var beat = new MemberHeartbeat(identity.Node, identity.Role, ++sequence, identity.Incarnation, stats?.Version ?? 0,
            stats?.FramesSeen ?? 0, stats?.SamplesUploaded ?? 0, stepsDone(), stats?.Accuracy ?? 0);
        Send(MembershipWire.Heartbeat(identity.Node, beat));
    }

    private void SendJoin()
    {
        lastJoinSent = Stopwatch.GetTimestamp();
        Send(MembershipWire.Join(identity.Node, identity));
    }

    private void OnWelcome(Welcomed welcome)
    {
        welcomed = true;
        Heard();
        output(identity.Role == MemberRole.Edge
            ? $"{identity.Node}: joined the cluster (coordinator {welcome.Coordinator}); group {welcome.Group} is at version {welcome.LatestVersion}"
            : $"{identity.Node}: joined the cluster (coordinator {welcome.Coordinator})");
    }

    private void OnCoordinatorHeartbeat(CoordinatorHeartbeat beat)
    {
        Heard();
        if (coordinatorIncarnation is not null && coordinatorIncarnation != beat.Incarnation)
        {
            output($"{identity.Node}: the coordinator restarted; joining again");
            welcomed = false;
            SendJoin();
        }
        coordinatorIncarnation = beat.Incarnation;
        if (edge is not null) _ = edge.Ask<EdgeStats>(GetEdgeStats.Instance, settings.HeartbeatInterval).PipeTo(Self, success: s => new Compare(s, beat.LatestVersions), failure: _ => new Compare(null, beat.LatestVersions));
    }

    private void OnCompare(Compare compare)
    {
        // An edge too busy to answer within a heartbeat is compared at the next one.
        if (compare.Stats is not { } stats) return;
        long latest = compare.Latest.GetValueOrDefault(identity.Group);
        long version = stats.Version;
        // Heartbeats that queued up while this node was stalled arrive together: ask once per unreachable-after at most.
        if (lastAsked is { } asked && Stopwatch.GetElapsedTime(asked) < settings.UnreachableAfter) return;
        if (behindTarget is { } target && version < target)
        {
            lastAsked = Stopwatch.GetTimestamp();
            missedRequests++;
            output($"{identity.Node}: missed an update: runs version {version}, the coordinator had version {target} a heartbeat ago; asking for the latest ({missedRequests} so far)");
            cloud?.Tell(new LatestParamsRequest(identity.Group), Self);
            behindTarget = null; // give the answer a heartbeat to arrive before asking again
            return;
        }
        behindTarget = version < latest ? latest : null;
    }

    private void Heard()
    {
        lastCoordinatorHeard = Stopwatch.GetTimestamp();
        if (coordinatorSilent)
        {
            coordinatorSilent = false;
            output($"{identity.Node}: coordinator reachable again");
        }
    }

    private void Send(Envelope message)
    {
        if (leaving) return;
        var log = Context.GetLogger();
        transport.SendAsync(settings.Topology.Membership, message).ContinueWith(
            t => log.LogWarning("{Node}: could not send {Kind} to the coordinator: {Reason}", identity.Node, message.BodyCase, t.Exception?.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }
}
