namespace Cema.Models.Adaptation;

/// <summary>
/// How an edge decides which samples to upload (paper §3.1; official code: <c>EntropyCriterion</c> and
/// <c>SimilarityCriterion</c> in codebase/core/tta/cema.py). Each rule can be switched off on its own.
/// </summary>
/// <param name="ExcludeUnreliable">Drop samples with E(x) ≥ E_max (too uncertain to teach anything).</param>
/// <param name="E0Fraction">E0 = E0Fraction · ln C, the upper bound before warm-up.</param>
/// <param name="DynamicThreshold">After warm-up, scale the bound: E_max(t) = λ · E0 · mean_E(t) / mean_E(w).</param>
/// <param name="WarmUpSamples">N_w: samples seen (before any filtering) after which mean_E(w) is frozen.</param>
/// <param name="Lambda">λ in E_max(t).</param>
/// <param name="ExcludeLowInformative">Drop samples with E(x) ≤ E_min (already confident, little left to learn).</param>
/// <param name="EMinFraction">e_min in E_min = e_min · ln C.</param>
/// <param name="ExcludeRedundant">EATA's filter: drop samples whose prediction is too close to the moving mean prediction.</param>
/// <param name="RedundancyEpsilon">Keep a sample only if |cos(p(x), m)| &lt; ε.</param>
/// <param name="RedundancyMomentum">m ← momentum · m + (1 − momentum) · mean p over the kept samples.</param>
public sealed record EntropySelectorSettings(
    bool ExcludeUnreliable,
    double E0Fraction,
    bool DynamicThreshold,
    int WarmUpSamples,
    double Lambda,
    bool ExcludeLowInformative,
    double EMinFraction,
    bool ExcludeRedundant,
    double RedundancyEpsilon,
    double RedundancyMomentum)
{
    /// <summary>
    /// The defaults. E0 fraction 0.4, λ = 0.6 (<c>ent_high_margin_coeff</c>) and ε = 0.05 (<c>d_margin</c>) are
    /// the official conf/cema.conf values; momentum 0.9 is <c>update_model_probs</c>. The released config
    /// switches the dynamic threshold and E_min off, the paper describes both: we keep both on
    /// (DESIGN.md §4). N_w = 1,000 and e_min = 0.02 (inside the paper's 0.01–0.06 sweep) are our choices,
    /// not published values. ε = 0.05 was set for 1,000 classes; with 10 classes cosines of probability
    /// vectors are much larger, so a tune step is expected to raise it.
    /// </summary>
    public static EntropySelectorSettings Default { get; } = new(
        ExcludeUnreliable: true,
        E0Fraction: 0.4,
        DynamicThreshold: true,
        WarmUpSamples: 1_000,
        Lambda: 0.6,
        ExcludeLowInformative: true,
        EMinFraction: 0.02,
        ExcludeRedundant: true,
        RedundancyEpsilon: 0.05,
        RedundancyMomentum: 0.9);

    /// <summary>The official released configuration: no warm-up scaling, no E_min.</summary>
    public static EntropySelectorSettings Released { get; } = Default with { DynamicThreshold = false, ExcludeLowInformative = false };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public EntropySelectorSettings Validate()
    {
        Require(E0Fraction > 0, nameof(E0Fraction), E0Fraction, "must be positive");
        Require(WarmUpSamples > 0, nameof(WarmUpSamples), WarmUpSamples, "must be positive");
        Require(Lambda > 0, nameof(Lambda), Lambda, "must be positive");
        Require(EMinFraction >= 0, nameof(EMinFraction), EMinFraction, "must be non-negative");
        Require(RedundancyEpsilon > 0, nameof(RedundancyEpsilon), RedundancyEpsilon, "must be positive");
        Require(RedundancyMomentum is >= 0 and < 1, nameof(RedundancyMomentum), RedundancyMomentum, "must be in [0, 1)");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"EntropySelectorSettings.{name} {rule}");
    }
}
