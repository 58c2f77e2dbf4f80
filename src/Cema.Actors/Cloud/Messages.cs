using Cema.Models.Adaptation;

namespace Cema.Actors.Cloud;

/// <summary>
/// One edge batch's selected samples: <paramref name="Count"/> uint8 28×28 images back to back (none is
/// valid: the cloud still learns that an edge batch went by, which CEMA's replay-only step keys on),
/// selected while the edge ran parameters <paramref name="Version"/>. <paramref name="Group"/> names the
/// edge's parameter group. <paramref name="Sequence"/> ≥ 0 (the edge batch's number) asks for an
/// <see cref="UploadHandled"/> once the steps it completes are published; −1 asks for nothing.
/// </summary>
public sealed record Upload(string Edge, string Group, long Version, byte[] Pixels, int Count, long Sequence = -1);

/// <summary>
/// The answer to an <see cref="Upload"/> with a sequence number: every step queued up to it in
/// <paramref name="Session"/> has run and been published; <paramref name="Version"/> is the session's version
/// now. An edge with an update delay waits for this (and that version) before it predicts further.
/// </summary>
public sealed record UploadHandled(string Edge, string Session, long Sequence, long Version);

/// <summary>
/// Published on <c>params/&lt;group&gt;</c> after each cloud step of the session: the edge parameters of
/// <paramref name="Version"/> in <paramref name="Encoding"/>; a <see cref="NormParamsEncoding.Fp16Delta"/>
/// payload is relative to <paramref name="BaseVersion"/> (−1 for a full payload).
/// </summary>
public sealed record ParamsUpdated(string Group, long Version, byte[] Params, NormParamsEncoding Encoding, long BaseVersion);

/// <summary>Asks the coordinator for a group's latest edge parameters; answered with <see cref="ParamsUpdated"/> (full payload) or <see cref="NoParamsYet"/>.</summary>
public sealed record LatestParamsRequest(string Group);

/// <summary>The group has had no cloud step yet: its edges keep their initial parameters (version 0).</summary>
public sealed record NoParamsYet(string Group);

/// <summary>Asks the coordinator for its statistics; answered with <see cref="CoordinatorStats"/>.</summary>
public sealed record GetCoordinatorStats
{
    public static GetCoordinatorStats Instance { get; } = new();
}

/// <summary>
/// One session: its version, uploads received, samples waiting for a step, samples dropped because too many
/// waited, jobs done (replay-only ones included), whether one runs, steps queued behind it, replay-only steps
/// done, and replay-only steps not queued because one was already waiting.
/// </summary>
public sealed record SessionStats(string Session, long Version, long SamplesReceived, int Pending, long PendingDropped, long JobsCompleted, bool JobInFlight,
    int QueuedSteps = 0, long ReplayOnlySteps = 0, long ReplayOnlyCoalesced = 0);

/// <summary>Every session, the updates published, and the uploads rejected as malformed (pixels not Count × 784 bytes).</summary>
public sealed record CoordinatorStats(IReadOnlyList<SessionStats> Sessions, long UpdatesPublished, long RejectedUploads, long JobsResent);

/// <summary>The topic a group's parameter updates are published on.</summary>
public static class ParamsTopic
{
    public static string For(string group) => "params/" + group;
}
