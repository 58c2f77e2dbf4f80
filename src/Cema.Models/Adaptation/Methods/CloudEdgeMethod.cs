using Cema.Models.Data;
using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation.Methods;

/// <summary>
/// The shape shared by every method with a cloud (Tent, EATA, upload-all, random, CEMA): an edge device
/// model that only predicts and picks uploads (an upload policy), and in the cloud an edge replica
/// (plus, for the distillation methods, a foundation model) trained by a learner on every
/// <c>NewPerStep</c> uploads. Owns all its models and disposes them.
/// <para>
/// The device model's norm layers are in the replica's mode. With test-time batch renormalization, as in
/// the official code, where the edge forward runs the cloud's (TBR) model in eval mode: its running
/// statistics are taken from its first batch of the session (forward only, no gradient) and from then on
/// come only from the cloud's updates; the replica's own running statistics start from its first
/// training batch. With batch statistics (Tent and EATA officially, CEMA with <c>is_tbr: false</c>), every
/// prediction normalizes the batch with its own statistics and only γ/β come from the cloud.
/// </para>
/// </summary>
internal sealed class CloudEdgeMethod : IAdaptationMethod
{
    private readonly Module device;
    private readonly Module replica;
    private readonly Module? foundation;
    private readonly IUploadPolicy policy;
    private readonly ICloudLearner learner;
    private readonly List<byte> pending = new();

    public CloudEdgeMethod(string name, Module device, Module replica, Module? foundation, IUploadPolicy policy, bool renormalize, Func<Module, ICloudLearner> learner)
    {
        Name = name;
        this.device = device;
        this.replica = replica;
        this.foundation = foundation;
        this.policy = policy;
        InitialParams = NormParams.From(device, version: 0);
        foreach (var p in device.parameters()) p.requires_grad_(false);
        foreach (var (_, layer) in NormLayers.Of(device)) layer.mode = NormLayers.Normalization(renormalize);
        this.learner = learner(replica);
    }

    public string Name { get; }

    public Tensor Predict(Tensor images) => EdgeInference.Predict(device, images);

    public long[] SelectUploads(Tensor logits) => policy.Select(logits);

    public SelectionCounts? SelectionTotals => policy.Totals;

    public void ApplyUpdate(NormParams update)
    {
        ArgumentNullException.ThrowIfNull(update);
        update.ApplyTo(device);
    }

    public bool HasCloud => true;

    public NormParams InitialParams { get; }

    public CloudRound ReceiveUploads(ReadOnlySpan<byte> pixels, int count)
    {
        if (count < 0 || pixels.Length != count * Dataset.PixelsPerImage)
            throw new ArgumentException($"{count} uploads need {count * Dataset.PixelsPerImage} bytes, got {pixels.Length}", nameof(pixels));
        learner.OnUploads(pixels, count);
        foreach (byte b in pixels) pending.Add(b);

        var steps = new List<CloudStepRecord>();
        int stepBytes = learner.NewPerStep * Dataset.PixelsPerImage;
        while (pending.Count >= stepBytes)
        {
            var fresh = new byte[stepBytes];
            pending.CopyTo(0, fresh, 0, stepBytes);
            pending.RemoveRange(0, stepBytes);
            steps.Add(learner.Step(fresh));
        }
        if (learner.AfterEdgeBatch(steps.Count > 0) is { } extra) steps.Add(extra);
        return steps.Count == 0 ? CloudRound.None : new CloudRound(steps);
    }

    public NormParams SnapshotReplica(long version) => NormParams.From(replica, version);

    public void Dispose()
    {
        learner.Dispose();
        device.Dispose();
        replica.Dispose();
        foundation?.Dispose();
    }
}
