using Cema.Torch;

namespace Cema.Models.Adaptation;

/// <summary>
/// EATA's redundancy rule (official <c>SimilarityCriterion</c>): a sample whose predicted distribution
/// points the same way as the moving mean prediction m adds little, so it is kept only if
/// |cos(p(x), m)| &lt; ε. m starts as the mean p of the first non-empty batch (all of which are kept)
/// and then moves toward the mean p of the samples kept.
/// </summary>
internal sealed class RedundancyFilter
{
    private readonly double epsilon;
    private readonly double momentum;
    private double[]? history;

    public RedundancyFilter(double epsilon, double momentum)
    {
        this.epsilon = epsilon;
        this.momentum = momentum;
    }

    /// <summary>The moving mean prediction m (a copy), or null before the first batch.</summary>
    public double[]? MeanPrediction => history?.ToArray();

    /// <summary>Which rows of <paramref name="probabilities"/> (K×C, float64, no grad) to keep, as positions 0..K−1.</summary>
    public List<int> Filter(Tensor probabilities)
    {
        int rows = (int)probabilities.shape[0];
        var kept = new List<int>(rows);
        if (rows == 0) return kept;
        using var scope = torch.NewDisposeScope();
        if (history is null)
        {
            for (int i = 0; i < rows; i++) kept.Add(i);
            history = probabilities.mean(0).ToArray<double>();
            return kept;
        }

        var m = torch.tensor(history);
        var cosine = probabilities.matmul(m) / ((probabilities * probabilities).sum(1).sqrt() * (m * m).sum().sqrt());
        double[] cos = cosine.ToArray<double>();
        for (int i = 0; i < rows; i++)
        {
            if (Math.Abs(cos[i]) < epsilon) kept.Add(i);
        }
        if (kept.Count > 0)
        {
            var keptMean = probabilities.index_select(0, torch.tensor(kept.Select(i => (long)i).ToArray())).mean(0);
            history = (m * momentum + keptMean * (1 - momentum)).ToArray<double>();
        }
        return kept;
    }
}
