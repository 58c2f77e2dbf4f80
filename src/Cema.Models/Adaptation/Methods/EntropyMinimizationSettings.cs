namespace Cema.Models.Adaptation.Methods;

/// <summary>
/// The cloud-side optimizer of the Tent and EATA baselines (their edge replica's norm γ/β). Defaults:
/// <c>cema.adapt.tent</c> and <c>cema.adapt.eata</c> in hocon/reference.conf (<c>EntropyMinimizationSettings.FromConfig</c>).
/// </summary>
/// <param name="LearningRate">SGD learning rate.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="BatchSize">New uploads per cloud step (the same 32 as CEMA's steps, so every method steps as often per upload).</param>
/// <param name="Renormalization">Replica and edge in test-time batch renormalization as CEMA's; false: batch statistics, as the official Tent and EATA.</param>
public sealed record EntropyMinimizationSettings(double LearningRate, double Momentum, int BatchSize, bool Renormalization)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public EntropyMinimizationSettings Validate()
    {
        if (!(LearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "EntropyMinimizationSettings.LearningRate must be non-negative");
        if (Momentum is not (>= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "EntropyMinimizationSettings.Momentum must be in [0, 1)");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "EntropyMinimizationSettings.BatchSize must be positive");
        return this;
    }
}
