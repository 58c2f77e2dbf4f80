using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Torch;

namespace Cema.Models.Tests.Evaluation;

/// <summary>
/// A method whose "parameters" are just their version: every norm value of version v is v. The cloud
/// produces a new version after every edge batch; the edge records which version it held at each
/// prediction, so a test can see exactly when updates arrive.
/// </summary>
internal sealed class VersionStub : IAdaptationMethod
{
    public static readonly NormParamsLayout Layout = new(new[] { new NormLayerShape("bn", 3) });

    private readonly List<long> heldAtPrediction;
    private long held;

    public VersionStub(int session, List<long> heldAtPrediction, List<int> sessions)
    {
        this.heldAtPrediction = heldAtPrediction;
        sessions.Add(session);
    }

    public static NormParams Version(long v) => new(v, Layout, Enumerable.Repeat((float)v, Layout.Count).ToArray());

    public string Name => "stub";

    public Tensor Predict(Tensor images)
    {
        heldAtPrediction.Add(held);
        using var noGrad = torch.no_grad();
        return torch.zeros(images.shape[0], 10);
    }

    public long[] SelectUploads(Tensor logits) => new long[] { 0 };

    public SelectionCounts? SelectionTotals => null;

    public void ApplyUpdate(NormParams update)
    {
        // The bytes decoded to exactly the version's values, through the delta chain.
        Assert.All(update.Values.ToArray(), v => Assert.Equal((float)update.Version, v));
        Assert.Equal(held + 1, update.Version);
        held = update.Version;
    }

    public bool HasCloud => true;

    public NormParams InitialParams => Version(0);

    public CloudRound ReceiveUploads(ReadOnlySpan<byte> pixels, int count) =>
        new(new[] { new CloudStepRecord(CloudStepKind.Entropy, count, 0, 0, TimeSpan.FromMilliseconds(1)) });

    public NormParams SnapshotReplica(long version) => Version(version);

    public void Dispose() { }
}

/// <summary>Wraps a real method and checks every edge prediction for an autograd graph.</summary>
internal sealed class GraphWatch(IAdaptationMethod inner, List<bool> recordedGraph) : IAdaptationMethod
{
    public string Name => inner.Name;

    public Tensor Predict(Tensor images)
    {
        var logits = inner.Predict(images);
        recordedGraph.Add(logits.has_grad_fn || logits.requires_grad);
        return logits;
    }

    public long[] SelectUploads(Tensor logits) => inner.SelectUploads(logits);
    public SelectionCounts? SelectionTotals => inner.SelectionTotals;
    public void ApplyUpdate(NormParams update) => inner.ApplyUpdate(update);
    public bool HasCloud => inner.HasCloud;
    public NormParams? InitialParams => inner.InitialParams;
    public CloudRound ReceiveUploads(ReadOnlySpan<byte> pixels, int count) => inner.ReceiveUploads(pixels, count);
    public NormParams SnapshotReplica(long version) => inner.SnapshotReplica(version);
    public void Dispose() => inner.Dispose();
}
