namespace Cema.Models.Adaptation;

/// <summary>
/// How an edge decides which samples to upload (paper §3.1; official code: <c>EntropyCriterion</c> and
/// <c>SimilarityCriterion</c> in codebase/core/tta/cema.py). Each rule can be switched off on its own.
/// Defaults: <c>cema.adapt.selector</c> (CEMA) and <c>cema.adapt.eata-selector</c> (EATA) in hocon/reference.conf,
/// read by <c>EntropySelectorSettings.FromConfig</c> in Cema.Actors.Configuration.
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
    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public EntropySelectorSettings Validate()
    {
        Require(E0Fraction > 0, nameof(E0Fraction), E0Fraction, "must be positive");
        Require(WarmUpSamples > 0, nameof(WarmUpSamples), WarmUpSamples, "must be positive");
        Require(Lambda > 0, nameof(Lambda), Lambda, "must be positive");
        Require(EMinFraction is >= 0 and < 1, nameof(EMinFraction), EMinFraction, "must be in [0, 1) (entropy never exceeds ln C, so from 1 up every sample would be excluded)");
        Require(RedundancyEpsilon > 0, nameof(RedundancyEpsilon), RedundancyEpsilon, "must be positive");
        Require(RedundancyMomentum is >= 0 and < 1, nameof(RedundancyMomentum), RedundancyMomentum, "must be in [0, 1)");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"EntropySelectorSettings.{name} {rule}");
    }
}
