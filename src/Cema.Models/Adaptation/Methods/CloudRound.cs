namespace Cema.Models.Adaptation.Methods;

/// <summary>Which kind of step the cloud ran.</summary>
public enum CloudStepKind
{
    /// <summary>Tent or EATA: the edge replica minimizes (weighted) entropy on new uploads.</summary>
    Entropy,

    /// <summary>CEMA's step: foundation entropy step on new uploads, then distillation into the replica (new + replayed).</summary>
    Distillation,

    /// <summary>CEMA's replay-only distillation step after an edge batch that brought no full step.</summary>
    ReplayOnly,
}

/// <summary>One cloud step.</summary>
/// <param name="Kind">What ran.</param>
/// <param name="NewSamples">Fresh uploads used.</param>
/// <param name="ReplayedSamples">Samples drawn from the replay buffer.</param>
/// <param name="Loss">The loss the edge replica stepped on.</param>
/// <param name="Elapsed">Wall time of the step.</param>
public sealed record CloudStepRecord(CloudStepKind Kind, int NewSamples, int ReplayedSamples, double Loss, TimeSpan Elapsed);

/// <summary>What the cloud did with one edge batch's uploads.</summary>
public sealed record CloudRound(IReadOnlyList<CloudStepRecord> Steps)
{
    public static CloudRound None { get; } = new(Array.Empty<CloudStepRecord>());

    /// <summary>Whether any step ran, i.e. the replica has new parameters to send.</summary>
    public bool ParamsChanged => Steps.Count > 0;
}
