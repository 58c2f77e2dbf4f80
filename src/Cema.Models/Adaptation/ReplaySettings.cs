namespace Cema.Models.Adaptation;

/// <summary>
/// The cloud's replay buffer and when it is drawn from (paper §3.2; official <c>CEMA.infer</c>).
/// Defaults: <c>cema.adapt.replay</c> in hocon/reference.conf (<c>ReplaySettings.FromConfig</c> in Cema.Actors.Configuration).
/// </summary>
/// <param name="Capacity">Samples kept, newest first out last (FIFO).</param>
/// <param name="MaxBytes">Pixel bytes kept: a second bound so large images cannot exhaust memory.</param>
/// <param name="NewPerStep">Fresh uploads that make one cloud step.</param>
/// <param name="MinimumForReplay">Replay starts once the buffer holds this many samples.</param>
/// <param name="ReplayedPerStep">Replayed samples added to each step's edge-replica batch.</param>
/// <param name="ReplayOnlyBatch">Samples of the replay-only step run after an edge batch that produced no step.</param>
public sealed record ReplaySettings(
    int Capacity,
    long MaxBytes,
    int NewPerStep,
    int MinimumForReplay,
    int ReplayedPerStep,
    int ReplayOnlyBatch)
{
    /// <summary>How many replayed samples join a step when the buffer holds <paramref name="buffered"/> (uploads of this step included).</summary>
    public int ReplayedFor(int buffered) => buffered >= MinimumForReplay ? Math.Min(ReplayedPerStep, buffered) : 0;

    /// <summary>Whether an edge batch that produced no full step earns a replay-only step (official: buffer strictly above the minimum).</summary>
    public bool WantsReplayOnlyStep(bool stepRan, int buffered) => !stepRan && buffered > MinimumForReplay && buffered >= ReplayOnlyBatch;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public ReplaySettings Validate()
    {
        Require(Capacity > 0, nameof(Capacity), Capacity, "must be positive");
        Require(MaxBytes > 0, nameof(MaxBytes), MaxBytes, "must be positive");
        Require(NewPerStep > 0, nameof(NewPerStep), NewPerStep, "must be positive");
        Require(MinimumForReplay > 0, nameof(MinimumForReplay), MinimumForReplay, "must be positive");
        Require(ReplayedPerStep >= 0, nameof(ReplayedPerStep), ReplayedPerStep, "must be non-negative");
        Require(ReplayOnlyBatch > 0, nameof(ReplayOnlyBatch), ReplayOnlyBatch, "must be positive");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"ReplaySettings.{name} {rule}");
    }
}
