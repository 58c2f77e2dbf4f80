using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation.Methods;

/// <summary>No adaptation: the source model in eval mode, normalizing with its source running statistics. Uploads nothing.</summary>
public sealed class SourceMethod : IAdaptationMethod
{
    private readonly Module model;

    public SourceMethod(Module model)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        foreach (var p in model.parameters()) p.requires_grad_(false);
    }

    public string Name => AdaptationMethods.Source;

    public Tensor Predict(Tensor images) => EdgeInference.Predict(model, images);

    public long[] SelectUploads(Tensor logits) => Array.Empty<long>();

    public SelectionCounts? SelectionTotals => null;

    public void ApplyUpdate(NormParams update) => throw new InvalidOperationException("source has no cloud: nothing sends it updates");

    public bool HasCloud => false;

    public NormParams? InitialParams => null;

    public CloudRound ReceiveUploads(ReadOnlySpan<byte> pixels, int count) =>
        count == 0 ? CloudRound.None : throw new InvalidOperationException("source uploads nothing");

    public NormParams SnapshotReplica(long version) => throw new InvalidOperationException("source has no cloud replica");

    public void Dispose() => model.Dispose();
}
