namespace Cema.Models.Adaptation;

/// <summary>What one cloud step did.</summary>
/// <param name="FoundationLoss">The foundation model's weighted entropy before its update; null for a replay-only step, which does not train it.</param>
/// <param name="EdgeEntropyLoss">The edge replica's weighted entropy term (before α).</param>
/// <param name="EdgeKlLoss">The weighted distillation KL term (before β).</param>
/// <param name="EdgeCrossEntropyLoss">The weighted pseudo-label cross-entropy term (before γ).</param>
/// <param name="EdgeTotalLoss">α·entropy + β·KL + γ·CE, the loss the edge replica stepped on.</param>
/// <param name="NewSamples">Newly uploaded samples used.</param>
/// <param name="ReplayedSamples">Samples drawn from the replay buffer.</param>
/// <param name="Elapsed">Wall time of the step.</param>
public sealed record CloudStepResult(
    double? FoundationLoss,
    double EdgeEntropyLoss,
    double EdgeKlLoss,
    double EdgeCrossEntropyLoss,
    double EdgeTotalLoss,
    int NewSamples,
    int ReplayedSamples,
    TimeSpan Elapsed);
