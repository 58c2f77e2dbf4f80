namespace Cema.Models.Adaptation;

/// <summary>
/// Running mean of every edge entropy seen, which freezes its value once <see cref="WarmUpSamples"/>
/// samples are in (the official <c>AverageMetric</c>): E_max(t) compares the current mean with that
/// frozen one, so the bound follows how much harder the stream has become since warm-up.
/// </summary>
internal sealed class EntropyMean
{
    private double sum;

    public EntropyMean(int warmUpSamples) => WarmUpSamples = warmUpSamples;

    public int WarmUpSamples { get; }

    public long Count { get; private set; }

    public double Value => Count == 0 ? 0 : sum / Count;

    /// <summary>mean_E(w), null until warm-up.</summary>
    public double? WarmUpValue { get; private set; }

    public void Add(ReadOnlySpan<double> entropies)
    {
        foreach (double e in entropies) sum += e;
        Count += entropies.Length;
        // The batch that crosses N_w is part of the frozen mean, as in the official update().
        if (WarmUpValue is null && Count >= WarmUpSamples) WarmUpValue = Value;
    }
}
