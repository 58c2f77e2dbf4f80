namespace Cema.Models.Adaptation;

/// <summary>
/// How many samples each upload rule removed. Rules apply in order (unreliable, then low-informative,
/// then redundant), so every sample is counted once: Total = Unreliable + LowInformative + Redundant + Kept.
/// </summary>
public readonly record struct SelectionCounts(long Total, long Unreliable, long LowInformative, long Redundant, long Kept)
{
    public static SelectionCounts operator +(SelectionCounts a, SelectionCounts b) => new(
        a.Total + b.Total, a.Unreliable + b.Unreliable, a.LowInformative + b.LowInformative, a.Redundant + b.Redundant, a.Kept + b.Kept);
}
