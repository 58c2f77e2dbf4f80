using System.Diagnostics;
using Cema.Actors.Cloud;
using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;
using Cema.Torch.Modules;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Edge;

/// <summary>
/// An edge device: runs its network forward only (<see cref="EdgeInference.Predict"/>; it holds no
/// optimizer), selects samples with an <see cref="EntropySelector"/>, and sends each frame batch's selection
/// to the cloud coordinator as one <see cref="Upload"/> (possibly empty). Its norm layers renormalize at test
/// time as the cloud's replica does (the simulator's device model): their running statistics come from the
/// first batch, then only from the cloud. It subscribes to <c>params/&lt;group&gt;</c> and asks the coordinator
/// for the latest parameters when it starts. A newer version is applied whole, in its own turn, so always
/// between two frame batches; an older or equal one is ignored, and a delta against a version it does not
/// hold makes it ask for the latest in full. With an update delay K it holds batch t + K back until the
/// cloud has answered batch t's upload and that version is applied.
/// </summary>
public sealed class EdgeActor : ReceiveActor
{
    private readonly EdgeSettings settings;
    private readonly IActorRef coordinator;
    private readonly IActorRef? observer;
    private readonly ResNet model;
    private readonly ResNet? source;
    private readonly NormParamsLayout layout;
    private readonly EntropySelector selector;
    private readonly Queue<FrameBatch> waiting = new();
    private readonly Dictionary<long, long> handled = new(); // batch sequence → the session version its upload led to
    private NormParams? current;
    private long version;
    private long nextSequence;
    private bool subscribed;
    private long rejectedBatches, framesSeen, labelled, correct, sourceCorrect, samplesUploaded, uploads, updatesApplied, updatesIgnored, latestRequested;
    private long? versionStartedUploading; // Stopwatch timestamp of the first upload under the current version
    private TimeSpan? lastLatency;
    private TimeSpan latencyTotal;
    private long latencies;

    private sealed record CheckBehind;

    public EdgeActor(EdgeSettings settings, ResNetSpec spec, IReadOnlyDictionary<string, Tensor> state, IActorRef coordinator, IActorRef? observer = null)
    {
        this.settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        this.coordinator = coordinator ?? throw new ArgumentNullException(nameof(coordinator));
        this.observer = observer;
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(state);
        model = Build(spec, state);
        // With renormalization the edge's norm layers start their statistics from the first batch, as the
        // cloud's replica does; without it every frame batch is normalized with its own statistics.
        foreach (var (_, layer) in NormLayers.Of(model)) layer.mode = NormLayers.Normalization(settings.Renormalization);
        if (settings.MeasureSource) source = Build(spec, state);
        layout = NormParamsLayout.Of(model);
        selector = new EntropySelector(settings.Selector);

        Receive<FrameBatch>(OnFrames);
        Receive<ParamsUpdated>(update =>
        {
            OnParams(update);
            Drain();
        });
        Receive<UploadHandled>(OnHandled);
        Receive<CheckBehind>(_ => CheckStillBehind());
        Receive<NoParamsYet>(_ => { });
        Receive<SubscribeAck>(_ => subscribed = true);
        Receive<GetEdgeStats>(_ => Sender.Tell(Stats()));
    }

    /// <summary>
    /// An edge whose network is built from <paramref name="spec"/> and <paramref name="state"/> (copied; the
    /// caller keeps the tensors, which must outlive the actor as restarts rebuild from them). <paramref name="observer"/>,
    /// when given, receives an <see cref="EdgeBatchObserved"/> per frame batch and an <see cref="EdgeUpdateApplied"/> per update.
    /// </summary>
    public static Props Props(EdgeSettings settings, ResNetSpec spec, IReadOnlyDictionary<string, Tensor> state, IActorRef coordinator, IActorRef? observer = null) =>
        Runtime.Props.Create(() => new EdgeActor(settings, spec, state, coordinator, observer));

    private static ResNet Build(ResNetSpec spec, IReadOnlyDictionary<string, Tensor> state)
    {
        var network = new ResNet(spec);
        network.load_state_dict(state);
        foreach (var p in network.parameters()) p.requires_grad_(false);
        return network;
    }

    protected override void PreStart()
    {
        TopicMediator.Get(Context.System).Mediator.Tell(new Subscribe(ParamsTopic.For(settings.Group), Self), Self);
        RequestLatest();
    }

    protected override void PostStop()
    {
        model.Dispose();
        source?.Dispose();
    }

    private void RequestLatest()
    {
        latestRequested++;
        coordinator.Tell(new LatestParamsRequest(settings.Group), Self);
    }

    private void OnFrames(FrameBatch batch)
    {
        if (batch.Count <= 0 || batch.Pixels.Length != batch.Count * Dataset.PixelsPerImage
            || (batch.Labels is { } l && l.Length != batch.Count))
        {
            rejectedBatches++;
            Context.GetLogger().LogWarning("Edge {Edge}: ignored a frame batch of {Bytes} bytes for {Count} frames", settings.Edge, batch.Pixels.Length, batch.Count);
            return;
        }
        waiting.Enqueue(batch);
        Drain();
    }

    private void OnHandled(UploadHandled answer)
    {
        if (answer.Sequence < nextSequence - settings.UpdateDelay) return; // a batch already past its wait
        handled[answer.Sequence] = answer.Version;
        if (answer.Version > version) Timers.StartSingleTimer("behind", new CheckBehind(), settings.BehindGrace);
        Drain();
    }

    // The cloud said a version exists that the topic has not brought yet: pub-sub may lose messages, so ask.
    private void CheckStillBehind()
    {
        if (handled.Values.Any(v => v > version)) RequestLatest();
    }

    /// <summary>Predicts every waiting batch the update delay lets through, in order.</summary>
    private void Drain()
    {
        while (waiting.Count > 0 && MayPredict(nextSequence))
        {
            var batch = waiting.Dequeue();
            handled.Remove(nextSequence - settings.UpdateDelay);
            Predict(batch, nextSequence++);
        }
    }

    private bool MayPredict(long sequence)
    {
        long awaited = sequence - settings.UpdateDelay;
        if (settings.UpdateDelay == 0 || awaited < 0) return true;
        return handled.TryGetValue(awaited, out long needed) && version >= needed;
    }

    private void Predict(FrameBatch batch, long sequence)
    {
        SelectionResult selection;
        int batchCorrect = 0, batchSourceCorrect = -1;
        using (torch.NewDisposeScope())
        {
            var images = ImageTensors.ToTensor(batch.Pixels, batch.Count);
            var logits = EdgeInference.Predict(model, images);
            if (batch.Labels is { } labels)
            {
                batchCorrect = Correct(logits, labels);
                if (source is not null) batchSourceCorrect = Correct(EdgeInference.Predict(source, images), labels);
            }
            selection = selector.Select(logits);
        }
        framesSeen += batch.Count;
        if (batch.Labels is not null)
        {
            labelled += batch.Count;
            correct += batchCorrect;
            if (batchSourceCorrect >= 0) sourceCorrect += batchSourceCorrect;
        }

        var kept = selection.Kept;
        var pixels = new byte[kept.Length * Dataset.PixelsPerImage];
        for (int k = 0; k < kept.Length; k++)
            batch.Pixels.AsSpan((int)kept[k] * Dataset.PixelsPerImage, Dataset.PixelsPerImage).CopyTo(pixels.AsSpan(k * Dataset.PixelsPerImage));
        coordinator.Tell(new Upload(settings.Edge, settings.Group, version, pixels, kept.Length, settings.UpdateDelay > 0 ? sequence : -1), Self);
        uploads++;
        if (kept.Length > 0)
        {
            samplesUploaded += kept.Length;
            versionStartedUploading ??= Stopwatch.GetTimestamp();
        }
        observer?.Tell(new EdgeBatchObserved(settings.Edge, sequence, batch.Count, batch.Labels is null ? 0 : batch.Count, batchCorrect, batchSourceCorrect,
            kept.Length, selection.Thresholds.EMax, version), Self);
    }

    private static int Correct(Tensor logits, int[] labels)
    {
        long[] predicted = logits.argmax(1).ToArray<long>();
        int n = 0;
        for (int i = 0; i < predicted.Length; i++) if (predicted[i] == labels[i]) n++;
        return n;
    }

    private void OnParams(ParamsUpdated update)
    {
        if (update.Group != settings.Group || update.Version <= version)
        {
            updatesIgnored++;
            return;
        }
        NormParams decoded;
        bool delta = update.Encoding == NormParamsEncoding.Fp16Delta;
        if (delta && (current is null || current.Version != update.BaseVersion))
        {
            updatesIgnored++;
            RequestLatest();
            return;
        }
        try
        {
            decoded = NormParams.Decode(update.Params, layout, delta ? current : null);
        }
        catch (NormParamsFormatException ex)
        {
            Context.GetLogger().LogWarning(ex, "Edge {Edge}: ignored a malformed update to version {Version}", settings.Edge, update.Version);
            updatesIgnored++;
            RequestLatest();
            return;
        }
        decoded.ApplyTo(model);
        current = decoded;
        version = decoded.Version;
        updatesApplied++;
        TimeSpan? latency = null;
        if (versionStartedUploading is { } started)
        {
            latency = Stopwatch.GetElapsedTime(started);
            lastLatency = latency;
            latencyTotal += latency.Value;
            latencies++;
            versionStartedUploading = null;
        }
        observer?.Tell(new EdgeUpdateApplied(settings.Edge, version, latency), Self);
    }

    private EdgeStats Stats() => new(
        settings.Edge, settings.Group, subscribed, version,
        framesSeen, rejectedBatches, labelled, correct, labelled == 0 ? 0 : (double)correct / labelled,
        selector.Totals, samplesUploaded, uploads, framesSeen == 0 ? 0 : (double)samplesUploaded / framesSeen,
        updatesApplied, updatesIgnored, latestRequested,
        lastLatency, latencies == 0 ? null : latencyTotal / latencies,
        sourceCorrect, source is null || labelled == 0 ? null : (double)sourceCorrect / labelled,
        waiting.Count);
}
