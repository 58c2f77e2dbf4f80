using System.Diagnostics;
using Cema.Actors.Cloud;
using Cema.Actors.Cluster.Transport;
using Envelope = Cema.Actors.Cluster.Wire.Proto.Envelope;
using Cema.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cluster.Membership;

/// <summary>
/// The coordinator's view of the cluster. A Join (or the first heartbeat of a node it does not know, e.g.
/// after the coordinator restarted) makes a member and is answered with a Welcome carrying the latest
/// parameter version of the member's group. A member silent for <see cref="ClusterSettings.UnreachableAfter"/>
/// is marked unreachable, and removed after a further <see cref="ClusterSettings.RemoveAfter"/>; a heartbeat
/// makes an unreachable member reachable again; a Leave removes it at once. Every heartbeat interval the
/// coordinator sends each member its own heartbeat with the latest version of every group, which is how
/// an edge that missed an update notices. Every event is logged and kept; the table is printed every
/// <see cref="ClusterSettings.StatusInterval"/>.
/// </summary>
public sealed class MembershipActor : ReceiveActor
{
    private sealed class Entry(MemberJoin join, DateTime joined, long seen)
    {
        public MemberJoin Join { get; set; } = join;
        public DateTime JoinedUtc { get; } = joined;
        public long LastSeen { get; set; } = seen;
        public MemberStatus Status { get; set; } = MemberStatus.Up;
        public MemberHeartbeat? Last { get; set; }
    }

    private sealed record Tick;
    private sealed record StatusTick;
    private sealed record LatestKnown(CoordinatorStats Stats);
    private sealed record Answer(MemberJoin Join, CoordinatorStats Stats);

    private readonly ClusterSettings settings;
    private readonly string self;
    private readonly string incarnation;
    private readonly IClusterTransport transport;
    private readonly IActorRef coordinator;
    private readonly Action<string> output;
    private readonly Dictionary<string, Entry> members = new(StringComparer.Ordinal);
    private readonly List<MemberEvent> events = new();
    private Dictionary<string, long> latest = new(StringComparer.Ordinal);
    private long sequence;

    public MembershipActor(ClusterSettings settings, string self, string incarnation, IClusterTransport transport, IActorRef coordinator, Action<string> output)
    {
        this.settings = settings;
        this.self = self;
        this.incarnation = incarnation;
        this.transport = transport;
        this.coordinator = coordinator;
        this.output = output;

        Receive<MemberJoin>(OnJoin);
        Receive<Answer>(answer =>
        {
            Learn(answer.Stats);
            Send(answer.Join.Node, MembershipWire.Welcome(self, answer.Join.Node, answer.Join.Group, Latest(answer.Join.Group), settings.HeartbeatInterval));
        });
        Receive<MemberHeartbeat>(OnHeartbeat);
        Receive<MemberLeave>(OnLeave);
        Receive<Tick>(_ => OnTick());
        Receive<LatestKnown>(known => Learn(known.Stats));
        Receive<StatusTick>(_ => output(MemberTableText.Render(Table(), DateTime.UtcNow)));
        Receive<GetMembers>(_ => Sender.Tell(Table()));
    }

    public static Props Props(ClusterSettings settings, string self, string incarnation, IClusterTransport transport, IActorRef coordinator, Action<string> output) =>
        Runtime.Props.Create(() => new MembershipActor(settings, self, incarnation, transport, coordinator, output));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("tick", new Tick(), settings.HeartbeatInterval);
        Timers.StartPeriodicTimer("status", new StatusTick(), settings.StatusInterval);
    }

    private void OnJoin(MemberJoin join)
    {
        if (members.TryGetValue(join.Node, out var known))
        {
            bool restarted = known.Join.Incarnation != join.Incarnation;
            known.Join = join;
            known.LastSeen = Stopwatch.GetTimestamp();
            known.Status = MemberStatus.Up;
            if (restarted) Event(join.Node, join.Role, "rejoined", $"restarted (group {Show(join.Group)}, version {join.ParamsVersion})");
        }
        else
        {
            members[join.Node] = new Entry(join, DateTime.UtcNow, Stopwatch.GetTimestamp());
            Event(join.Node, join.Role, "joined", $"group {Show(join.Group)}, version {join.ParamsVersion}");
        }
        // Answer with the version the coordinator has now, not the one of the last tick.
        _ = coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance, settings.UnreachableAfter)
            .PipeTo(Self, success: stats => new Answer(join, stats), failure: _ => new Answer(join, new CoordinatorStats([], 0, 0, 0)));
    }

    private void OnHeartbeat(MemberHeartbeat beat)
    {
        if (!members.TryGetValue(beat.Node, out var entry))
        {
            // A member of an earlier coordinator: take it in as if it had joined.
            OnJoin(new MemberJoin(beat.Node, beat.Role, "", beat.Incarnation, beat.ParamsVersion));
            entry = members[beat.Node];
            events[^1] = events[^1] with { Detail = "by heartbeat (it joined an earlier coordinator)" };
        }
        entry.LastSeen = Stopwatch.GetTimestamp();
        entry.Last = beat;
        if (entry.Status == MemberStatus.Unreachable)
        {
            entry.Status = MemberStatus.Up;
            Event(beat.Node, beat.Role, "reachable", "heartbeats again");
        }
    }

    private void OnLeave(MemberLeave leave)
    {
        if (!members.Remove(leave.Node, out var entry)) return;
        Event(leave.Node, entry.Join.Role, "left", leave.Reason);
    }

    private void OnTick()
    {
        foreach (var (node, entry) in members.ToList())
        {
            var silent = Stopwatch.GetElapsedTime(entry.LastSeen);
            if (entry.Status == MemberStatus.Up && silent > settings.UnreachableAfter)
            {
                entry.Status = MemberStatus.Unreachable;
                Event(node, entry.Join.Role, "unreachable", $"no heartbeat for {silent.TotalSeconds:0.0}s");
            }
            else if (entry.Status == MemberStatus.Unreachable && silent > settings.UnreachableAfter + settings.RemoveAfter)
            {
                members.Remove(node);
                Event(node, entry.Join.Role, "removed", $"no heartbeat for {silent.TotalSeconds:0.0}s");
            }
        }
        sequence++;
        foreach (var node in members.Keys) Send(node, MembershipWire.CoordinatorHeartbeat(self, sequence, incarnation, latest));
        _ = coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance, settings.HeartbeatInterval)
            .PipeTo(Self, success: stats => new LatestKnown(stats), failure: _ => new LatestKnown(new CoordinatorStats([], 0, 0, 0)));
    }

    private void Learn(CoordinatorStats stats)
    {
        if (stats.Sessions.Count == 0) return;
        latest = stats.Sessions.ToDictionary(s => s.Session, s => s.Version, StringComparer.Ordinal);
    }

    private long Latest(string group) => latest.GetValueOrDefault(group);

    private void Send(string node, Envelope message)
    {
        var log = Context.GetLogger();
        transport.SendAsync(settings.Topology.NodeControl(node), message).ContinueWith(
            t => log.LogDebug("Membership: could not reach {Node}: {Reason}", node, t.Exception?.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    private void Event(string node, MemberRole role, string kind, string detail)
    {
        var e = new MemberEvent(DateTime.UtcNow, node, role, kind, detail);
        events.Add(e);
        output($"member {node} ({role.ToString().ToLowerInvariant()}) {kind}: {detail}");
    }

    private MemberTable Table() => new(
        members.Values.OrderBy(e => e.Join.Role).ThenBy(e => e.Join.Node, StringComparer.Ordinal).Select(e => new Member(
            e.Join.Node, e.Join.Role, e.Join.Group, e.Status, e.Last?.ParamsVersion ?? e.Join.ParamsVersion,
            e.Last?.FramesSeen ?? 0, e.Last?.SamplesUploaded ?? 0, e.Last?.StepsDone ?? 0, e.Last?.Accuracy ?? 0,
            e.JoinedUtc, Stopwatch.GetElapsedTime(e.LastSeen), e.Join.Incarnation)).ToArray(),
        new Dictionary<string, long>(latest, StringComparer.Ordinal),
        events.ToArray());

    private static string Show(string group) => group.Length == 0 ? "-" : group;
}
