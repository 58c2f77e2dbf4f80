namespace Cema.Models.Adaptation;

/// <summary>What <see cref="EntropySelector.Select"/> decided for one batch.</summary>
/// <param name="Kept">Row indices of the batch to upload, ascending.</param>
/// <param name="Entropies">E(x) of every row, in batch order.</param>
/// <param name="Counts">This batch's samples per rule.</param>
/// <param name="Thresholds">The bounds this batch was judged by.</param>
/// <param name="Outcomes">The rule that decided each row, in batch order.</param>
public sealed record SelectionResult(long[] Kept, double[] Entropies, SelectionCounts Counts, SelectionThresholds Thresholds, SelectionOutcome[] Outcomes);

/// <summary>The selector's state as it judged a batch (after adding that batch to the running mean).</summary>
/// <param name="EMax">Upper entropy bound, +∞ when unreliable exclusion is off.</param>
/// <param name="EMin">Lower entropy bound, −∞ when low-informative exclusion is off.</param>
/// <param name="WarmedUp">Whether N_w samples had been seen, i.e. mean_E(w) is frozen.</param>
/// <param name="MeanEntropy">mean_E(t): mean entropy of every sample seen, before filtering.</param>
/// <param name="WarmUpMeanEntropy">mean_E(w), null before warm-up.</param>
/// <param name="SamplesSeen">Samples seen so far, this batch included.</param>
public sealed record SelectionThresholds(double EMax, double EMin, bool WarmedUp, double MeanEntropy, double? WarmUpMeanEntropy, long SamplesSeen);
