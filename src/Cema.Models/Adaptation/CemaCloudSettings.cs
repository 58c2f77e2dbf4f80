namespace Cema.Models.Adaptation;

/// <summary>
/// The cloud's adaptation step (paper §3.2; official <c>CEMA.infer</c> and <c>TTADistillationLoss</c>).
/// Defaults: <c>cema.adapt.cloud</c> in hocon/reference.conf (read by <c>CemaCloudSettings.FromConfig</c> in Cema.Actors.Configuration).
/// </summary>
/// <param name="E0Fraction">E0 = E0Fraction · ln C, the margin in every entropy weight exp(E0 − E).</param>
/// <param name="FoundationLearningRate">SGD learning rate of the foundation model's norm affine parameters.</param>
/// <param name="EdgeLearningRate">SGD learning rate of the edge replica's norm affine parameters.</param>
/// <param name="Momentum">SGD momentum of both optimizers.</param>
/// <param name="Alpha">Weight of the edge's entropy term.</param>
/// <param name="Beta">Weight of the distillation KL term.</param>
/// <param name="Gamma">Weight of the pseudo-label cross-entropy term.</param>
/// <param name="Temperature">Distillation temperature T.</param>
/// <param name="Renormalization">
/// Norm layers of every model (foundation, replica, edge) in test-time batch renormalization, the edge normalizing with the
/// running statistics the cloud sends (official <c>is_tbr: true</c>); false: every model normalizes each batch with its own
/// statistics (<c>is_tbr: false</c>).
/// </param>
/// <param name="ClassBalance">
/// Ours, not the paper's: each sample's KL and CE weight is also multiplied by N / (K · n_c), where n_c counts the samples of
/// the step's batch whose teacher pseudo-label is its class c and K the classes present, so every pseudo-class teaches with
/// the same total weight. Uploads chosen by entropy are skewed toward the ambiguous classes. false: the paper's loss.
/// </param>
public sealed record CemaCloudSettings(
    double E0Fraction,
    double FoundationLearningRate,
    double EdgeLearningRate,
    double Momentum,
    double Alpha,
    double Beta,
    double Gamma,
    double Temperature,
    bool Renormalization,
    bool ClassBalance)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public CemaCloudSettings Validate()
    {
        Require(E0Fraction > 0, nameof(E0Fraction), E0Fraction, "must be positive");
        Require(FoundationLearningRate >= 0, nameof(FoundationLearningRate), FoundationLearningRate, "must be non-negative");
        Require(EdgeLearningRate >= 0, nameof(EdgeLearningRate), EdgeLearningRate, "must be non-negative");
        Require(Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
        Require(Alpha >= 0, nameof(Alpha), Alpha, "must be non-negative");
        Require(Beta >= 0, nameof(Beta), Beta, "must be non-negative");
        Require(Gamma >= 0, nameof(Gamma), Gamma, "must be non-negative");
        Require(Temperature > 0, nameof(Temperature), Temperature, "must be positive");
        return this;
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"CemaCloudSettings.{name} {rule}");
    }
}
