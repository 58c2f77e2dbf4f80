using Cema.Torch;

namespace Cema.Models.Adaptation;

/// <summary>
/// The edge's upload decision (paper §3.1): from each batch's logits, keep the samples that are
/// reliable (E &lt; E_max(t)), informative (E &gt; E_min) and not redundant (EATA's cosine rule), in that
/// order, counting what each rule removed. Stateful across batches: the running entropy mean with its
/// warm-up, and the moving mean prediction of the redundancy rule. Never records autograd.
/// </summary>
public sealed class EntropySelector
{
    private readonly EntropyMean entropyMean;
    private readonly RedundancyFilter redundancy;

    public EntropySelector(EntropySelectorSettings settings)
    {
        Settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        entropyMean = new EntropyMean(settings.WarmUpSamples);
        redundancy = new RedundancyFilter(settings.RedundancyEpsilon, settings.RedundancyMomentum);
    }

    public EntropySelectorSettings Settings { get; }

    /// <summary>Counts over every batch selected so far.</summary>
    public SelectionCounts Totals { get; private set; }

    /// <summary>The redundancy rule's moving mean prediction m (a copy), null before it has seen a sample.</summary>
    public double[]? MeanPrediction => redundancy.MeanPrediction;

    /// <summary>Judges one batch of edge logits (N×C).</summary>
    public SelectionResult Select(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        if (logits.dim() != 2) throw new ArgumentException($"logits must be N×C, got shape [{string.Join(", ", logits.shape)}]", nameof(logits));
        int numClasses = (int)logits.shape[1];
        double[] entropies = Entropy.PerSample(logits).@double().ToArray<double>();

        // The mean covers every sample seen, before filtering, this batch included (official EntropyCriterion).
        entropyMean.Add(entropies);
        var thresholds = Thresholds(numClasses);

        int unreliable = 0, lowInformative = 0;
        var candidates = new List<long>(entropies.Length);
        var outcomes = new SelectionOutcome[entropies.Length];
        for (int i = 0; i < entropies.Length; i++)
        {
            double e = entropies[i];
            if (!(e < thresholds.EMax)) { unreliable++; outcomes[i] = SelectionOutcome.Unreliable; }
            else if (!(e > thresholds.EMin)) { lowInformative++; outcomes[i] = SelectionOutcome.LowInformative; }
            else candidates.Add(i);
        }

        long[] kept = candidates.ToArray();
        if (Settings.ExcludeRedundant && kept.Length > 0)
        {
            var probabilities = torch.nn.functional.softmax(logits.index_select(0, torch.tensor(kept)), 1).@double();
            kept = redundancy.Filter(probabilities).Select(k => kept[k]).ToArray();
        }
        foreach (long i in candidates) outcomes[i] = SelectionOutcome.Redundant;
        foreach (long i in kept) outcomes[i] = SelectionOutcome.Kept;

        var counts = new SelectionCounts(entropies.Length, unreliable, lowInformative, candidates.Count - kept.Length, kept.Length);
        Totals += counts;
        return new SelectionResult(kept, entropies, counts, thresholds, outcomes);
    }

    private SelectionThresholds Thresholds(int numClasses)
    {
        double e0 = Entropy.Margin(numClasses, Settings.E0Fraction);
        bool warmedUp = entropyMean.WarmUpValue is not null;
        double eMax = double.PositiveInfinity;
        if (Settings.ExcludeUnreliable)
        {
            // A zero warm-up mean (every sample certain) gives no scale to compare with; stay at E0.
            eMax = Settings.DynamicThreshold && entropyMean.WarmUpValue is { } warmUpMean && warmUpMean > 0
                ? Settings.Lambda * e0 * entropyMean.Value / warmUpMean
                : e0;
        }
        double eMin = Settings.ExcludeLowInformative ? Entropy.Margin(numClasses, Settings.EMinFraction) : double.NegativeInfinity;
        return new SelectionThresholds(eMax, eMin, warmedUp, entropyMean.Value, entropyMean.WarmUpValue, entropyMean.Count);
    }
}
