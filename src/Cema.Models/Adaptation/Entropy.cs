using Cema.Torch;

namespace Cema.Models.Adaptation;

/// <summary>Prediction entropy, the quantity every CEMA rule and loss is built on.</summary>
public static class Entropy
{
    /// <summary>
    /// E(x) = −Σ_c p_c ln p_c with p = softmax(logits), per row of <paramref name="logits"/> (N×C), as a new
    /// tensor of N entries. Computed from log_softmax so a confident row gives 0, not 0·(−∞) = NaN.
    /// </summary>
    public static Tensor PerSample(Tensor logits)
    {
        if (logits.dim() != 2) throw new ArgumentException($"logits must be N×C, got {logits.dim()}D", nameof(logits));
        using var scope = torch.NewDisposeScope();
        var log_p = torch.nn.functional.log_softmax(logits, 1);
        return (log_p.exp() * log_p).sum(1).neg().MoveToOuterScope();
    }

    /// <summary>
    /// E0 = <paramref name="fraction"/> · ln C, the entropy margin of the paper (fraction 0.4, the official
    /// config's <c>ent_high_margin</c>). It bounds uploads before warm-up and weights every entropy loss.
    /// </summary>
    public static double Margin(int numClasses, double fraction)
    {
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "entropy margins need at least 2 classes");
        return fraction * Math.Log(numClasses);
    }
}
