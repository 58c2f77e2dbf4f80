using Cema.Torch;
using F = Cema.Torch.torch.nn.functional;

namespace Cema.Models.Adaptation;

/// <summary>CEMA's losses as pure functions of logits (official <c>CEMA.infer</c> step 1 and <c>TTADistillationLoss</c>).</summary>
public static class Losses
{
    /// <summary>
    /// mean_i exp(E0 − sg E_i) · E_i: entropy minimization that trusts confident samples more. The weight
    /// is detached, so it scales each sample's gradient without being minimized itself.
    /// </summary>
    public static Tensor WeightedEntropy(Tensor logits, double e0)
    {
        using var scope = torch.NewDisposeScope();
        var ent = Entropy.PerSample(logits);
        var coeff = (e0 - ent.detach()).exp();
        return (coeff * ent).mean().MoveToOuterScope();
    }

    /// <summary>
    /// The edge replica's loss against the foundation model's <paramref name="teacherLogits"/> (treated as
    /// constants): α · weighted entropy + β · weighted KL + γ · weighted pseudo-label CE, where each
    /// sample's KL and CE weight exp(E0 − E(z_f)) comes from the teacher's entropy, so samples the
    /// teacher is unsure about teach less. With <see cref="CemaCloudSettings.ClassBalance"/> that weight is also
    /// multiplied by <see cref="ClassBalanceWeights"/> of the teacher's pseudo-labels.
    /// </summary>
    public static DistillationLoss Distillation(Tensor edgeLogits, Tensor teacherLogits, CemaCloudSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (edgeLogits.dim() != 2 || !edgeLogits.shape.SequenceEqual(teacherLogits.shape))
            throw new ArgumentException($"edge and teacher logits must both be N×C, got [{string.Join(", ", edgeLogits.shape)}] and [{string.Join(", ", teacherLogits.shape)}]");
        using var scope = torch.NewDisposeScope();
        double e0 = Entropy.Margin((int)edgeLogits.shape[1], settings.E0Fraction);
        double t = settings.Temperature;
        var teacher = teacherLogits.detach();

        var ent_loss = WeightedEntropy(edgeLogits, e0);

        var w = (e0 - Entropy.PerSample(teacher)).exp();
        var pseudo_labels = teacher.argmax(1);
        if (settings.ClassBalance) w = w * ClassBalanceWeights(pseudo_labels, (int)edgeLogits.shape[1], w.dtype);
        var kl = F.kl_div(F.log_softmax(edgeLogits / t, 1), F.softmax(teacher / t, 1), Reduction.None).sum(1) * (t * t);
        var kl_loss = (kl * w).mean();

        var ce = F.cross_entropy(edgeLogits, pseudo_labels, reduction: Reduction.None);
        var ce_loss = (ce * w).mean();

        var loss = ent_loss * settings.Alpha + kl_loss * settings.Beta + ce_loss * settings.Gamma;
        return new DistillationLoss(loss.MoveToOuterScope(), ent_loss.MoveToOuterScope(), kl_loss.MoveToOuterScope(), ce_loss.MoveToOuterScope());
    }

    /// <summary>
    /// N / (K · n_c) per sample: n_c the count of its pseudo-label c among the N labels, K the classes present. Their mean is 1,
    /// and every class present gets the same total weight N / K.
    /// </summary>
    public static Tensor ClassBalanceWeights(Tensor pseudoLabels, int classes, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var counts = pseudoLabels.one_hot(classes).to(dtype).sum(0);
        var present = counts.gt(0).to(dtype).sum();
        return (pseudoLabels.shape[0] / (present * counts.index_select(0, pseudoLabels))).MoveToOuterScope();
    }
}
