using Cema.Models.Adaptation;
using Cema.Torch;

namespace Cema.Models.Tests.Adaptation;

public class EntropySelectorTests
{
    private const int C = 10;
    private static readonly double E0 = 0.4 * Math.Log(C);

    private static readonly EntropySelectorSettings EntropyOnly = OfficialSettings.Selector with
    {
        ExcludeLowInformative = false,
        ExcludeRedundant = false,
    };

    /// <summary>Logits (a, 0, …, 0) over 10 classes, one row per entry of <paramref name="a"/>.</summary>
    private static Tensor Peaked(params double[] a)
    {
        var values = new float[a.Length * C];
        for (int i = 0; i < a.Length; i++) values[i * C] = (float)a[i];
        return torch.tensor(values, a.Length, C);
    }

    /// <summary>Entropy of (a, 0, …, 0) by hand: p₀ = eᵃ/(eᵃ+9), the 9 others q = 1/(eᵃ+9).</summary>
    private static double H(double a)
    {
        double z = Math.Exp(a) + 9, p0 = Math.Exp(a) / z, q = 1 / z;
        return -(p0 * Math.Log(p0) + 9 * q * Math.Log(q));
    }

    /// <summary>Rows given directly as probability vectors: logits ln p, so softmax gives p back.</summary>
    private static Tensor FromProbabilities(double[][] rows)
    {
        int classes = rows[0].Length;
        return torch.tensor(rows.SelectMany(r => r.Select(p => (float)Math.Log(p))).ToArray(), rows.Length, classes);
    }

    private static SelectionResult Select(EntropySelector selector, Tensor logits)
    {
        using (logits) return selector.Select(logits);
    }

    [Fact]
    public void Hand_computed_entropies_are_what_the_thresholds_see()
    {
        var selector = new EntropySelector(EntropyOnly);
        var result = Select(selector, Peaked(0, 2, 4, 6));
        Assert.Equal(new[] { H(0), H(2), H(4), H(6) }, result.Entropies, new ToleranceComparer(1e-5));
        Assert.Equal(Math.Log(10), H(0), 12);
    }

    [Fact]
    public void Before_warm_up_E_max_is_E0_and_after_it_follows_the_mean_entropy()
    {
        var selector = new EntropySelector(EntropyOnly with { WarmUpSamples = 4, Lambda = 0.5 });

        // Batch 1: 2 samples seen (< N_w = 4): E_max = E0 = 0.921. H(4) = 0.72 passes, H(2) = 1.89 does not.
        var first = Select(selector, Peaked(4, 2));
        Assert.False(first.Thresholds.WarmedUp);
        Assert.Null(first.Thresholds.WarmUpMeanEntropy);
        Assert.Equal(E0, first.Thresholds.EMax, 12);
        Assert.Equal((H(4) + H(2)) / 2, first.Thresholds.MeanEntropy, 5);
        Assert.Equal(new long[] { 0 }, first.Kept);
        Assert.Equal(new SelectionCounts(2, 1, 0, 0, 1), first.Counts);

        // Batch 2 crosses N_w (5 samples): mean_E(w) freezes at the mean of all 5, so E_max = λ·E0 = 0.46
        // in this very batch, and H(4) = 0.72, which passed before warm-up, is now unreliable.
        var second = Select(selector, Peaked(5, 6, 4));
        double warmUpMean = (H(4) + H(2) + H(5) + H(6) + H(4)) / 5;
        Assert.True(second.Thresholds.WarmedUp);
        Assert.Equal(warmUpMean, second.Thresholds.WarmUpMeanEntropy!.Value, 5);
        Assert.Equal(0.5 * E0, second.Thresholds.EMax, 5);
        Assert.Equal(new long[] { 0, 1 }, second.Kept);
        Assert.Equal(new SelectionCounts(3, 1, 0, 0, 2), second.Counts);

        // Batch 3: harder samples raise mean_E(t); E_max(t) = λ·E0·mean_E(t)/mean_E(w) = 0.765, so H(4) = 0.72 passes again.
        var third = Select(selector, Peaked(0, 0, 0, 4));
        double mean = (5 * warmUpMean + 3 * H(0) + H(4)) / 9;
        double eMax = 0.5 * E0 * mean / warmUpMean;
        Assert.Equal(mean, third.Thresholds.MeanEntropy, 5);
        Assert.Equal(warmUpMean, third.Thresholds.WarmUpMeanEntropy!.Value, 5);
        Assert.Equal(eMax, third.Thresholds.EMax, 5);
        Assert.Equal(9, third.Thresholds.SamplesSeen);
        Assert.InRange(H(4), eMax - 0.05, eMax);   // the case is close enough to prove the formula, far enough for float32
        Assert.Equal(new long[] { 3 }, third.Kept);

        Assert.Equal(new SelectionCounts(9, 5, 0, 0, 4), selector.Totals);
    }

    [Fact]
    public void Without_the_dynamic_threshold_E_max_stays_E0_after_warm_up()
    {
        var selector = new EntropySelector(EntropyOnly with { WarmUpSamples = 1, DynamicThreshold = false });
        Select(selector, Peaked(6));
        var result = Select(selector, Peaked(0, 4));
        Assert.True(result.Thresholds.WarmedUp);
        Assert.Equal(E0, result.Thresholds.EMax, 12);
        Assert.Equal(new long[] { 1 }, result.Kept);
    }

    [Fact]
    public void E_min_drops_confident_samples_and_each_rule_is_counted_once()
    {
        // E_min = 0.1·ln 10 = 0.23: H(8) = 0.003 and H(6) = 0.15 are too confident, H(2) = 1.89 too uncertain.
        var selector = new EntropySelector(EntropyOnly with { ExcludeLowInformative = true, EMinFraction = 0.1 });
        var result = Select(selector, Peaked(6, 5, 2, 8, 4));
        Assert.Equal(0.1 * Math.Log(10), result.Thresholds.EMin, 12);
        Assert.Equal(new long[] { 1, 4 }, result.Kept);
        Assert.Equal(new SelectionCounts(5, 1, 2, 0, 2), result.Counts);
    }

    [Fact]
    public void Every_rule_can_be_switched_off()
    {
        var selector = new EntropySelector(OfficialSettings.Selector with
        {
            ExcludeUnreliable = false,
            ExcludeLowInformative = false,
            ExcludeRedundant = false,
        });
        var result = Select(selector, Peaked(0, 20, 2));
        Assert.Equal(new long[] { 0, 1, 2 }, result.Kept);
        Assert.Equal(double.PositiveInfinity, result.Thresholds.EMax);
        Assert.Equal(double.NegativeInfinity, result.Thresholds.EMin);
        Assert.Equal(new SelectionCounts(3, 0, 0, 0, 3), result.Counts);
    }

    [Fact]
    public void Redundancy_keeps_samples_pointing_away_from_the_moving_mean_prediction()
    {
        var selector = new EntropySelector(OfficialSettings.Selector with
        {
            ExcludeUnreliable = false,
            ExcludeLowInformative = false,
            RedundancyEpsilon = 0.5,
        });

        // First batch: no history, so all are kept and m = their mean = (0.45, 0.45, 0.1).
        var first = Select(selector, FromProbabilities(new[] { new[] { 0.8, 0.1, 0.1 }, new[] { 0.1, 0.8, 0.1 } }));
        Assert.Equal(new long[] { 0, 1 }, first.Kept);
        Assert.Equal(new[] { 0.45, 0.45, 0.1 }, selector.MeanPrediction!, new ToleranceComparer(1e-6));

        // |m| = √0.415. cos((0.1, 0.1, 0.8), m) = 0.17 / (√0.415·√0.66) = 0.325 < 0.5: kept.
        // cos((0.5, 0.4, 0.1), m) = 0.415 / (√0.415·√0.42) = 0.994: redundant.
        // cos((0.05, 0.05, 0.9), m) = 0.135 / (√0.415·√0.815) = 0.232: kept.
        double norm = Math.Sqrt(0.415);
        Assert.InRange(0.17 / (norm * Math.Sqrt(0.66)), 0.32, 0.33);
        Assert.InRange(0.415 / (norm * Math.Sqrt(0.42)), 0.99, 1.0);
        Assert.InRange(0.135 / (norm * Math.Sqrt(0.815)), 0.23, 0.24);
        var second = Select(selector, FromProbabilities(new[] { new[] { 0.1, 0.1, 0.8 }, new[] { 0.5, 0.4, 0.1 }, new[] { 0.05, 0.05, 0.9 } }));
        Assert.Equal(new long[] { 0, 2 }, second.Kept);
        Assert.Equal(new SelectionCounts(3, 0, 0, 1, 2), second.Counts);
        // m ← 0.9·m + 0.1·mean of the kept = 0.9·(0.45, 0.45, 0.1) + 0.1·(0.075, 0.075, 0.85).
        Assert.Equal(new[] { 0.4125, 0.4125, 0.175 }, selector.MeanPrediction!, new ToleranceComparer(1e-6));

        // Nothing kept: m does not move.
        var third = Select(selector, FromProbabilities(new[] { new[] { 0.5, 0.4, 0.1 } }));
        Assert.Empty(third.Kept);
        Assert.Equal(new[] { 0.4125, 0.4125, 0.175 }, selector.MeanPrediction!, new ToleranceComparer(1e-6));
        Assert.Equal(new SelectionCounts(6, 0, 0, 2, 4), selector.Totals);
    }

    [Fact]
    public void Redundancy_sees_only_the_samples_the_entropy_rules_kept()
    {
        // 3 classes: E0 = 0.4·ln 3 = 0.44. The uniform row (E = 1.10) is unreliable; (0.9, 0.05, 0.05) has E = 0.39.
        var selector = new EntropySelector(OfficialSettings.Selector with { ExcludeLowInformative = false });
        var result = Select(selector, FromProbabilities(new[] { new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 }, new[] { 0.9, 0.05, 0.05 } }));
        Assert.Equal(new long[] { 1 }, result.Kept);
        Assert.Equal(new SelectionCounts(2, 1, 0, 0, 1), result.Counts);
        Assert.Equal(new[] { 0.9, 0.05, 0.05 }, selector.MeanPrediction!, new ToleranceComparer(1e-6));
    }

    [Fact]
    public void Selection_records_no_autograd_graph()
    {
        using var logits = Peaked(0, 4).requires_grad_();
        var selector = new EntropySelector(OfficialSettings.Selector);
        selector.Select(logits);
        Assert.Null(logits.grad);
        Assert.True(torch.is_grad_enabled());
    }

    [Fact]
    public void Settings_out_of_range_are_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new EntropySelector(OfficialSettings.Selector with { WarmUpSamples = 0 }));
        Assert.Contains("WarmUpSamples", e.Message);
    }
}

internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(double obj) => 0;
}
