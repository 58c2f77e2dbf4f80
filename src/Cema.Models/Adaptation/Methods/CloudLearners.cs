using System.Diagnostics;
using Cema.Models.Data;
using Cema.Torch;
using Cema.Torch.Modules;
using Cema.Torch.Optim;

namespace Cema.Models.Adaptation.Methods;

/// <summary>The cloud's learning rule for one edge replica: what a step on new uploads does, and what follows an edge batch.</summary>
internal interface ICloudLearner : IDisposable
{
    /// <summary>Fresh uploads per step.</summary>
    int NewPerStep { get; }

    /// <summary>Every upload as it arrives (before any step), e.g. into a replay buffer.</summary>
    void OnUploads(ReadOnlySpan<byte> pixels, int count);

    /// <summary>One step on exactly <see cref="NewPerStep"/> new uploads.</summary>
    CloudStepRecord Step(ReadOnlySpan<byte> pixels);

    /// <summary>After the steps of one edge batch (<paramref name="stepRan"/> whether any ran): an extra step, or null.</summary>
    CloudStepRecord? AfterEdgeBatch(bool stepRan);
}

/// <summary>
/// Tent (mean entropy) or EATA (mean exp(E0 − sg E)·E) on the edge replica's norm γ/β, SGD with momentum,
/// the replica prepared as CEMA's (test-time batch renormalization, everything else frozen). EATA's Fisher
/// regularizer is left out: it needs clean in-distribution samples the offline stream does not have.
/// </summary>
internal sealed class EntropyLearner : ICloudLearner
{
    private readonly Module replica;
    private readonly SGD optimizer;
    private readonly double? e0Fraction;

    /// <param name="e0Fraction">null: Tent's plain mean entropy; a value: EATA's weighting with E0 = fraction · ln C.</param>
    public EntropyLearner(Module replica, EntropyMinimizationSettings settings, double? e0Fraction)
    {
        this.replica = replica;
        this.e0Fraction = e0Fraction;
        NewPerStep = settings.Validate().BatchSize;
        NormLayers.PrepareForAdaptation(replica, settings.Renormalization);
        optimizer = torch.optim.SGD(NormLayers.AffineParameters(replica), lr: settings.LearningRate, momentum: settings.Momentum);
    }

    public int NewPerStep { get; }

    public void OnUploads(ReadOnlySpan<byte> pixels, int count) { }

    public CloudStepRecord Step(ReadOnlySpan<byte> pixels)
    {
        var clock = Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        var images = ImageTensors.ToTensor(pixels, NewPerStep);
        replica.train();
        optimizer.zero_grad();
        var logits = images.then(replica.call);
        var loss = e0Fraction is { } fraction
            ? Losses.WeightedEntropy(logits, Entropy.Margin((int)logits.shape[1], fraction))
            : Entropy.PerSample(logits).mean();
        loss.backward();
        optimizer.step();
        return new CloudStepRecord(CloudStepKind.Entropy, NewPerStep, 0, loss.item<double>(), clock.Elapsed);
    }

    public CloudStepRecord? AfterEdgeBatch(bool stepRan) => null;

    public void Dispose() => optimizer.Dispose();
}

/// <summary>
/// CEMA's cloud (DESIGN.md §4): every upload enters the replay buffer on arrival; each step is a
/// <see cref="CemaCloudStep"/> on 32 new uploads plus 96 replayed once the buffer holds 256; an edge
/// batch that produced no step earns one replay-only step of 128 when the buffer holds more than 256.
/// </summary>
internal sealed class DistillationLearner : ICloudLearner
{
    private readonly CemaCloudStep step;
    private readonly ReplayBuffer replay;
    private readonly ReplaySettings settings;
    private readonly SeededRandom random;

    public DistillationLearner(Module foundation, Module replica, CemaCloudSettings cloud, ReplaySettings replaySettings, SeededRandom random)
    {
        settings = replaySettings.Validate();
        step = new CemaCloudStep(foundation, replica, cloud);
        replay = new ReplayBuffer(settings);
        this.random = random;
    }

    public int NewPerStep => settings.NewPerStep;

    public void OnUploads(ReadOnlySpan<byte> pixels, int count)
    {
        if (count > 0) replay.Add(pixels, count);
    }

    public CloudStepRecord Step(ReadOnlySpan<byte> pixels)
    {
        using var scope = torch.NewDisposeScope();
        var fresh = ImageTensors.ToTensor(pixels, NewPerStep);
        int replayed = settings.ReplayedFor(replay.Count);
        var replayedImages = replayed > 0 ? ImageTensors.ToTensor(replay.Sample(replayed, random), replayed) : null;
        var result = step.Step(fresh, replayedImages);
        return new CloudStepRecord(CloudStepKind.Distillation, result.NewSamples, result.ReplayedSamples, result.EdgeTotalLoss, result.Elapsed);
    }

    public CloudStepRecord? AfterEdgeBatch(bool stepRan)
    {
        if (!settings.WantsReplayOnlyStep(stepRan, replay.Count)) return null;
        using var scope = torch.NewDisposeScope();
        var images = ImageTensors.ToTensor(replay.Sample(settings.ReplayOnlyBatch, random), settings.ReplayOnlyBatch);
        var result = step.ReplayOnlyStep(images);
        return new CloudStepRecord(CloudStepKind.ReplayOnly, 0, result.ReplayedSamples, result.EdgeTotalLoss, result.Elapsed);
    }

    public void Dispose() => step.Dispose();
}
