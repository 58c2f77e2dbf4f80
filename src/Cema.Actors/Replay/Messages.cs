namespace Cema.Actors.Replay;

/// <summary>Adds <paramref name="Count"/> uploaded samples (pixels back to back, equal sizes) to <paramref name="Session"/>'s buffer. No reply.</summary>
public sealed record Append(string Session, byte[] Pixels, int Count);

/// <summary>
/// Asks for <paramref name="K"/> distinct samples of <paramref name="Session"/>; answered with <see cref="Sample"/>.
/// <paramref name="Seed"/> names the session's draw stream: the session's draws under one seed continue one
/// random stream (as the simulator's replay draws do), so a run's sequence of draws is reproducible from the
/// seed and the appends; a request with another seed starts a new stream from it.
/// </summary>
public sealed record SampleRequest(string Session, int K, ulong Seed);

/// <summary>
/// The answer to a <see cref="SampleRequest"/>: <paramref name="Count"/> samples (fewer than asked when the
/// session holds fewer), pixels back to back; <paramref name="Buffered"/> is what the session held when drawn.
/// </summary>
public sealed record Sample(string Session, byte[] Pixels, int Count, int Buffered);

/// <summary>Asks for the replay statistics; answered with <see cref="ReplayStats"/>.</summary>
public sealed record GetReplayStats
{
    public static GetReplayStats Instance { get; } = new();
}

/// <summary>One session's buffer.</summary>
public sealed record SessionReplayStats(string Session, int Count, long Bytes, long Appended, long EvictedByBuffer, long EvictedByMemoryBound);

/// <summary>Every session's buffer, the totals against the memory bound, and the appends rejected as malformed.</summary>
public sealed record ReplayStats(IReadOnlyList<SessionReplayStats> Sessions, long TotalBytes, long MaxTotalBytes, long TotalEvicted, long RejectedAppends);
