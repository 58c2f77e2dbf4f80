using Cema.Models.Data;
using Cema.Torch;

namespace Cema.Models.Adaptation.Methods;

/// <summary>How an edge picks the samples it uploads, from one batch's logits.</summary>
internal interface IUploadPolicy
{
    long[] Select(Tensor logits);

    /// <summary>Per-rule counts when a selector decides, else null.</summary>
    SelectionCounts? Totals { get; }
}

/// <summary>Every sample goes up (Tent, upload-all).</summary>
internal sealed class UploadAll : IUploadPolicy
{
    public long[] Select(Tensor logits)
    {
        long n = logits.shape[0];
        var rows = new long[n];
        for (long i = 0; i < n; i++) rows[i] = i;
        return rows;
    }

    public SelectionCounts? Totals => null;
}

/// <summary>An <see cref="EntropySelector"/> decides (CEMA with its settings, EATA with the released ones).</summary>
internal sealed class UploadSelected(EntropySelectorSettings settings) : IUploadPolicy
{
    private readonly EntropySelector selector = new(settings);

    public long[] Select(Tensor logits) => selector.Select(logits).Kept;

    public SelectionCounts? Totals => selector.Totals;
}

/// <summary>Each sample goes up with probability <c>rate</c>, independently (a seeded coin per sample).</summary>
internal sealed class UploadRandom : IUploadPolicy
{
    private readonly double rate;
    private readonly SeededRandom random;

    public UploadRandom(double rate, SeededRandom random)
    {
        if (rate is not (>= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the random upload rate must be in [0, 1]");
        this.rate = rate;
        this.random = random;
    }

    public long[] Select(Tensor logits)
    {
        long n = logits.shape[0];
        var rows = new List<long>();
        // One draw per sample whatever the outcome, so the coin sequence does not depend on the model.
        for (long i = 0; i < n; i++)
        {
            if (random.NextDouble() < rate) rows.Add(i);
        }
        return rows.ToArray();
    }

    public SelectionCounts? Totals => null;
}
