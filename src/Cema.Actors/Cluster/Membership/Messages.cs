namespace Cema.Actors.Cluster.Membership;

public enum MemberRole
{
    Edge,
    Coordinator,
    Distiller,
}

public enum MemberStatus
{
    /// <summary>Heartbeats arrive.</summary>
    Up,

    /// <summary>No heartbeat for <see cref="ClusterSettings.UnreachableAfter"/>; back to Up with the next one.</summary>
    Unreachable,
}

/// <summary>A node asks to be a member (wire: Join).</summary>
public sealed record MemberJoin(string Node, MemberRole Role, string Group, string Incarnation, long ParamsVersion);

/// <summary>A member's periodic sign of life and its figures so far (wire: Heartbeat).</summary>
public sealed record MemberHeartbeat(string Node, MemberRole Role, long Sequence, string Incarnation, long ParamsVersion,
    long FramesSeen, long SamplesUploaded, long StepsDone, double Accuracy);

/// <summary>A member leaves on shutdown (wire: Leave).</summary>
public sealed record MemberLeave(string Node, string Reason);

/// <summary>Asks the membership actor for its table; answered with <see cref="MemberTable"/>.</summary>
public sealed record GetMembers
{
    public static GetMembers Instance { get; } = new();
}

/// <summary>One member as the coordinator knows it.</summary>
public sealed record Member(string Node, MemberRole Role, string Group, MemberStatus Status, long ParamsVersion,
    long FramesSeen, long SamplesUploaded, long StepsDone, double Accuracy, DateTime JoinedUtc, TimeSpan SinceHeartbeat, string Incarnation);

/// <summary>The members, the latest parameter version of every group, and every member event so far (joined, unreachable, reachable, left, removed).</summary>
public sealed record MemberTable(IReadOnlyList<Member> Members, IReadOnlyDictionary<string, long> LatestVersions, IReadOnlyList<MemberEvent> Events);

/// <summary>Something that happened to a member; the cloud logs each one.</summary>
public sealed record MemberEvent(DateTime Utc, string Node, MemberRole Role, string Kind, string Detail);

/// <summary>The coordinator's heartbeat as a member receives it: the latest parameter version of every group.</summary>
public sealed record CoordinatorHeartbeat(string Coordinator, long Sequence, string Incarnation, IReadOnlyDictionary<string, long> LatestVersions);

/// <summary>The coordinator's answer to a join: the latest version of the member's group.</summary>
public sealed record Welcomed(string Coordinator, string Group, long LatestVersion);

/// <summary>Tells a <see cref="MemberActor"/> to send its Leave and stop heartbeating; answered with the same message once sent.</summary>
public sealed record LeaveCluster(string Reason);
