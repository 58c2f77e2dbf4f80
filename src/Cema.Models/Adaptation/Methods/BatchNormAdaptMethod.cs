using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation.Methods;

/// <summary>
/// BN-adapt (Schneider et al. 2020, "prediction-time batch normalization"), the classic form: every
/// norm layer normalizes with the current batch's own mean and variance, forward only, no cloud.
/// Implemented as PyTorch's <c>model.train()</c> under <c>no_grad</c> with the layers in Standard mode:
/// train mode makes BatchNorm use batch statistics; it also moves the running statistics (momentum
/// 0.1), but nothing ever reads them, since this method always predicts in train mode. No parameter
/// is trained. (The official CEMA code's BNAdaptation mixes source and batch statistics with momentum
/// 0.5 instead; the brief asked for pure batch statistics.) Uploads nothing.
/// </summary>
public sealed class BatchNormAdaptMethod : IAdaptationMethod
{
    private readonly Module model;

    public BatchNormAdaptMethod(Module model)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        foreach (var p in model.parameters()) p.requires_grad_(false);
        foreach (var (_, layer) in NormLayers.Of(model)) layer.mode = BatchNorm2d.NormalizationMode.Standard;
    }

    public string Name => AdaptationMethods.BnAdapt;

    public Tensor Predict(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        model.train();
        using var noGrad = torch.no_grad();
        return model.call(images);
    }

    public long[] SelectUploads(Tensor logits) => Array.Empty<long>();

    public SelectionCounts? SelectionTotals => null;

    public void ApplyUpdate(NormParams update) => throw new InvalidOperationException("bn has no cloud: nothing sends it updates");

    public bool HasCloud => false;

    public NormParams? InitialParams => null;

    public CloudRound ReceiveUploads(ReadOnlySpan<byte> pixels, int count) =>
        count == 0 ? CloudRound.None : throw new InvalidOperationException("bn uploads nothing");

    public NormParams SnapshotReplica(long version) => throw new InvalidOperationException("bn has no cloud replica");

    public void Dispose() => model.Dispose();
}
