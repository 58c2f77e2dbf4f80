using Cema.Models.Adaptation;

namespace Cema.Actors.Distiller;

/// <summary>
/// One CEMA cloud step for <paramref name="Session"/>: <paramref name="NewCount"/> fresh uploads and
/// <paramref name="ReplayCount"/> replayed samples (uint8 28×28 images back to back), starting from the
/// session's edge replica and foundation parameters at <paramref name="Version"/> (null: the source models,
/// for a session that has had no step yet; their running statistics then come from this step's batch, as
/// test-time renormalization starts). No fresh uploads (NewCount 0) makes it CEMA's replay-only step: the
/// foundation only teaches. <paramref name="Optimizer"/> is the session's SGD momentum (null: none yet).
/// Answered to the sender with <see cref="DistillResult"/>.
/// </summary>
public sealed record DistillJob(
    string Session,
    long Version,
    long JobId,
    byte[] NewPixels,
    int NewCount,
    byte[] ReplayPixels,
    int ReplayCount,
    NormParams? EdgeParams,
    NormParams? FoundationParams,
    CemaCloudSettings Settings,
    CloudOptimizerState? Optimizer = null)
{
    /// <summary>CEMA's replay-only step: replayed samples only, the foundation model not trained.</summary>
    public bool ReplayOnly => NewCount == 0;
}

/// <summary>The outcome of a <see cref="DistillJob"/>: the session's parameters after the step (labelled Version + 1), its losses and the session's momentum after it.</summary>
public sealed record DistillResult(
    string Session,
    long JobId,
    long BaseVersion,
    NormParams EdgeParams,
    NormParams FoundationParams,
    CloudStepResult Losses,
    CloudOptimizerState? Optimizer = null);

/// <summary>Thrown on the distiller when a job's step failed, so its supervisor restarts it and the job is retried.</summary>
public sealed class DistillStepException(DistillJob job, Exception cause)
    : Exception($"the distillation step of job {job.JobId} (session '{job.Session}', version {job.Version}) failed: {cause.Message}", cause)
{
    public DistillJob Job { get; } = job;
}
