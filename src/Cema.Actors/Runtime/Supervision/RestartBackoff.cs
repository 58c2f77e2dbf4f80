namespace Cema.Actors.Runtime;

/// <summary>
/// Exponential back-off between restarts, Akka's <c>BackoffSupervisor</c> formula:
/// delay(n) = min(<paramref name="MaxBackoff"/>, <paramref name="MinBackoff"/> · 2ⁿ) · (1 + r · <paramref name="RandomFactor"/>)
/// for the n-th consecutive restart (n from 0) and r uniform in [0, 1). The count returns to 0 once
/// the child has run <paramref name="ResetAfter"/> without failing. The random part spreads out
/// restarts of many children that failed together (e.g. a lost broker).
/// </summary>
public sealed record RestartBackoff(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor, TimeSpan ResetAfter)
{
    /// <summary>Restart at once, every time (Akka's plain supervisor behaviour).</summary>
    public static RestartBackoff Immediate { get; } = new(TimeSpan.Zero, TimeSpan.Zero, 0, TimeSpan.Zero);

    public TimeSpan MinBackoff { get; init; } = MinBackoff >= TimeSpan.Zero
        ? MinBackoff
        : throw new ArgumentOutOfRangeException(nameof(MinBackoff), MinBackoff, "Back-off cannot be negative.");

    public TimeSpan MaxBackoff { get; init; } = MaxBackoff >= MinBackoff
        ? MaxBackoff
        : throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, "The maximum back-off must be at least the minimum.");

    public double RandomFactor { get; init; } = RandomFactor is >= 0 and <= 1
        ? RandomFactor
        : throw new ArgumentOutOfRangeException(nameof(RandomFactor), RandomFactor, "The random factor must be in [0, 1].");

    public TimeSpan ResetAfter { get; init; } = ResetAfter >= TimeSpan.Zero
        ? ResetAfter
        : throw new ArgumentOutOfRangeException(nameof(ResetAfter), ResetAfter, "Reset-after cannot be negative.");

    /// <summary>The delay before restart number <paramref name="restartCount"/> (0-based), given a uniform draw in [0, 1).</summary>
    public TimeSpan DelayFor(int restartCount, double random01)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(restartCount);
        if (MinBackoff == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        // Cap the exponent: 2^62 ticks already exceeds any sensible maximum, and Math.Pow would overflow.
        var exponential = MinBackoff.Ticks * Math.Pow(2, Math.Min(restartCount, 62));
        var capped = Math.Min(MaxBackoff.Ticks, exponential);
        var jittered = capped * (1 + Math.Clamp(random01, 0, 1) * RandomFactor);
        return TimeSpan.FromTicks((long)Math.Min(jittered, TimeSpan.MaxValue.Ticks));
    }
}
