using Cema.Models.Networks;

namespace Cema.Models.Training;

/// <summary>
/// Everything that determines a training run: the network, the optimizer (SGD with momentum and
/// weight decay), the learning-rate schedule (linear warm-up then cosine to zero, per step), the
/// augmentation and the seed. The defaults of the shipped models are in hocon/reference.conf
/// (cema.train); this record only carries them.
/// </summary>
public sealed record TrainingRecipe(
    ResNetSpec Spec,
    int Epochs,
    ulong Seed,
    int BatchSize,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    bool Nesterov,
    double WarmupEpochs,
    AugmentationKind Augmentation,
    int CropPadding,
    int? Limit = null)
{
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be positive");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 2 (BatchNorm needs two images)");
        if (LearningRate <= 0) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be positive");
        if (WarmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "warm-up must be non-negative");
        if (CropPadding < 0) throw new ArgumentOutOfRangeException(nameof(CropPadding), CropPadding, "crop padding must be non-negative");
        if (Limit is int limit && limit < 2) throw new ArgumentOutOfRangeException(nameof(Limit), limit, "--limit must be at least 2 images");
    }
}

/// <summary>
/// Linear warm-up from lr/steps to lr, then a half cosine from lr down to 0 at the last step.
/// The warm-up takes at most half of a (short) run.
/// </summary>
public sealed record LearningRateSchedule(double Peak, long WarmupSteps, long TotalSteps)
{
    public static LearningRateSchedule For(TrainingRecipe recipe, int stepsPerEpoch) =>
        new(recipe.LearningRate,
            Math.Min((long)Math.Round(recipe.WarmupEpochs * stepsPerEpoch), (long)recipe.Epochs * stepsPerEpoch / 2),
            (long)recipe.Epochs * stepsPerEpoch);

    /// <summary>The rate of step <paramref name="step"/> (0-based, counted over the whole run).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        double progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return Peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }
}
