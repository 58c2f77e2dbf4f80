using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;

namespace Cema.Models.Evaluation;

/// <summary>Every seed of a simulation besides the stream's own (which <see cref="Data.ShiftStream.Seed"/> carries).</summary>
/// <param name="Replay">Replay draws (CEMA, upload-all, random).</param>
/// <param name="RandomUpload">The random method's coin flips.</param>
/// <param name="Torch">Passed to torch.manual_seed before each method's run (model construction draws from it).</param>
public sealed record SimulationSeeds(ulong Replay, ulong RandomUpload, long Torch);

/// <summary>
/// How the simulator wires the edge and the cloud. Defaults: <c>cema.eval.simulation</c> and <c>cema.adapt</c> in
/// hocon/reference.conf, read by <c>SimulationSettings.FromConfig(config)</c> (Cema.Actors.Configuration).
/// </summary>
/// <param name="UpdateDelay">K ≥ 1: parameters the cloud produced while handling edge batch t are applied before batch t + K is predicted.</param>
/// <param name="DownlinkEncoding">How updates travel down (the edge decodes exactly these bytes); fp32 and fp16 sizes are reported too.</param>
/// <param name="UploadHeaderBytes">Bytes each upload carries besides its pixels (counted, not serialized: the simulator has no wire).</param>
/// <param name="Seeds">Replay, random-upload and torch seeds.</param>
/// <param name="Methods">Every method knob.</param>
public sealed record SimulationSettings(
    int UpdateDelay,
    NormParamsEncoding DownlinkEncoding,
    int UploadHeaderBytes,
    SimulationSeeds Seeds,
    MethodSettings Methods)
{
    /// <summary>Throws naming the first setting out of range.</summary>
    public SimulationSettings Validate()
    {
        if (UpdateDelay < 1) throw new ArgumentOutOfRangeException(nameof(UpdateDelay), UpdateDelay, "SimulationSettings.UpdateDelay must be at least 1 (an update exists only after the batch that produced it)");
        if (!Enum.IsDefined(DownlinkEncoding)) throw new ArgumentOutOfRangeException(nameof(DownlinkEncoding), DownlinkEncoding, "SimulationSettings.DownlinkEncoding is unknown");
        if (UploadHeaderBytes < 0) throw new ArgumentOutOfRangeException(nameof(UploadHeaderBytes), UploadHeaderBytes, "SimulationSettings.UploadHeaderBytes must be non-negative");
        ArgumentNullException.ThrowIfNull(Seeds);
        (Methods ?? throw new ArgumentNullException(nameof(Methods))).Validate();
        return this;
    }
}
