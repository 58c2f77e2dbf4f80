using Cema.Actors.Cluster.Wire;
using Cema.Actors.Cluster.Wire.Proto;

namespace Cema.Actors.Cluster.Membership;

/// <summary>Membership messages to their protobuf form and back; reading names the field at fault.</summary>
public static class MembershipWire
{
    public static Envelope Join(string sender, MemberJoin join) => WireCodec.Wrap(sender, e => e.Join = new Join
    {
        Node = join.Node, Role = ToWire(join.Role), Group = join.Group, Incarnation = join.Incarnation, ParamsVersion = join.ParamsVersion,
    });

    public static Envelope Heartbeat(string sender, MemberHeartbeat h) => WireCodec.Wrap(sender, e => e.Heartbeat = new Heartbeat
    {
        Node = h.Node, Role = ToWire(h.Role), Sequence = h.Sequence, Incarnation = h.Incarnation, ParamsVersion = h.ParamsVersion,
        FramesSeen = h.FramesSeen, SamplesUploaded = h.SamplesUploaded, StepsDone = h.StepsDone, Accuracy = h.Accuracy,
    });

    public static Envelope CoordinatorHeartbeat(string sender, long sequence, string incarnation, IReadOnlyDictionary<string, long> latest) =>
        WireCodec.Wrap(sender, e =>
        {
            e.Heartbeat = new Heartbeat { Node = sender, Role = Role.Coordinator, Sequence = sequence, Incarnation = incarnation };
            foreach (var (group, version) in latest) e.Heartbeat.LatestVersions[group] = version;
        });

    public static Envelope Leave(string sender, MemberLeave leave) => WireCodec.Wrap(sender, e => e.Leave = new Leave { Node = leave.Node, Reason = leave.Reason });

    public static Envelope Welcome(string sender, string node, string group, long latest, TimeSpan heartbeat) => WireCodec.Wrap(sender, e => e.Welcome = new Welcome
    {
        Node = node, Coordinator = sender, Group = group, LatestVersion = latest, HeartbeatIntervalMs = (long)heartbeat.TotalMilliseconds,
    });

    /// <summary>The membership record an incoming Join, Heartbeat or Leave stands for; throws <see cref="WireException"/> for anything else or a bad field.</summary>
    public static object FromWire(Envelope envelope) => envelope.BodyCase switch
    {
        Envelope.BodyOneofCase.Join => new MemberJoin(Named(envelope.Join.Node, "join.node"), FromWire(envelope.Join.Role, "join.role"),
            envelope.Join.Group, envelope.Join.Incarnation, envelope.Join.ParamsVersion),
        Envelope.BodyOneofCase.Heartbeat when envelope.Heartbeat.Role == Role.Coordinator => new CoordinatorHeartbeat(Named(envelope.Heartbeat.Node, "heartbeat.node"),
            envelope.Heartbeat.Sequence, envelope.Heartbeat.Incarnation, new Dictionary<string, long>(envelope.Heartbeat.LatestVersions)),
        Envelope.BodyOneofCase.Heartbeat => new MemberHeartbeat(Named(envelope.Heartbeat.Node, "heartbeat.node"), FromWire(envelope.Heartbeat.Role, "heartbeat.role"),
            envelope.Heartbeat.Sequence, envelope.Heartbeat.Incarnation, envelope.Heartbeat.ParamsVersion, envelope.Heartbeat.FramesSeen,
            envelope.Heartbeat.SamplesUploaded, envelope.Heartbeat.StepsDone, envelope.Heartbeat.Accuracy),
        Envelope.BodyOneofCase.Leave => new MemberLeave(Named(envelope.Leave.Node, "leave.node"), envelope.Leave.Reason),
        Envelope.BodyOneofCase.Welcome => new Welcomed(Named(envelope.Welcome.Coordinator, "welcome.coordinator"), envelope.Welcome.Group, envelope.Welcome.LatestVersion),
        var other => throw new WireException("body", $"{other} is not a membership message"),
    };

    public static Role ToWire(MemberRole role) => role switch
    {
        MemberRole.Edge => Role.Edge,
        MemberRole.Coordinator => Role.Coordinator,
        _ => Role.Distiller,
    };

    private static MemberRole FromWire(Role role, string field) => role switch
    {
        Role.Edge => MemberRole.Edge,
        Role.Coordinator => MemberRole.Coordinator,
        Role.Distiller => MemberRole.Distiller,
        _ => throw new WireException(field, $"unknown role {(int)role}"),
    };

    private static string Named(string value, string field) =>
        string.IsNullOrEmpty(value) ? throw new WireException(field, "must not be empty") : value;
}
