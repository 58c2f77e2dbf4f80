using System.Diagnostics;
using Cema.Actors.Cloud;
using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Edge;

/// <summary>
/// An edge device: runs its network forward only (<see cref="EdgeInference.Predict"/>; it holds no
/// optimizer), selects samples with an <see cref="EntropySelector"/>, and uploads them to the cloud
/// coordinator in batches of <see cref="EdgeSettings.UploadBatch"/>. It subscribes to
/// <c>params/&lt;group&gt;</c> and asks the coordinator for the latest parameters when it starts. A newer
/// version is applied whole, in its own turn, so always between two frame batches; an older or equal one
/// is ignored, and a delta against a version it does not hold makes it ask for the latest in full.
/// </summary>
public sealed class EdgeActor : ReceiveActor
{
    private readonly EdgeSettings settings;
    private readonly IActorRef coordinator;
    private readonly ResNet model;
    private readonly NormParamsLayout layout;
    private readonly EntropySelector selector;
    private readonly List<byte[]> selected = new();
    private NormParams? current;
    private long version;
    private bool subscribed;
    private long rejectedBatches, framesSeen, labelled, correct, samplesUploaded, uploads, updatesApplied, updatesIgnored, latestRequested;
    private long? versionStartedUploading; // Stopwatch timestamp of the first upload under the current version
    private TimeSpan? lastLatency;
    private TimeSpan latencyTotal;
    private long latencies;

    public EdgeActor(EdgeSettings settings, ResNetSpec spec, IReadOnlyDictionary<string, Tensor> state, IActorRef coordinator)
    {
        this.settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        this.coordinator = coordinator ?? throw new ArgumentNullException(nameof(coordinator));
        model = new ResNet(spec ?? throw new ArgumentNullException(nameof(spec)));
        model.load_state_dict(state ?? throw new ArgumentNullException(nameof(state)));
        // Without renormalization every frame batch is normalized with its own statistics, as the cloud's models do.
        if (!settings.Renormalization)
        {
            foreach (var (_, layer) in NormLayers.Of(model)) layer.mode = NormLayers.Normalization(renormalize: false);
        }
        layout = NormParamsLayout.Of(model);
        selector = new EntropySelector(settings.Selector);

        Receive<FrameBatch>(OnFrames);
        Receive<ParamsUpdated>(OnParams);
        Receive<NoParamsYet>(_ => { });
        Receive<SubscribeAck>(_ => subscribed = true);
        Receive<GetEdgeStats>(_ => Sender.Tell(Stats()));
    }

    /// <summary>
    /// An edge whose network is built from <paramref name="spec"/> and <paramref name="state"/> (copied; the
    /// caller keeps the tensors, which must outlive the actor as restarts rebuild from them).
    /// </summary>
    public static Props Props(EdgeSettings settings, ResNetSpec spec, IReadOnlyDictionary<string, Tensor> state, IActorRef coordinator) =>
        Runtime.Props.Create(() => new EdgeActor(settings, spec, state, coordinator));

    protected override void PreStart()
    {
        TopicMediator.Get(Context.System).Mediator.Tell(new Subscribe(ParamsTopic.For(settings.Group), Self), Self);
        RequestLatest();
    }

    protected override void PostStop() => model.Dispose();

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
        SelectionResult selection;
        using (torch.NewDisposeScope())
        {
            var logits = EdgeInference.Predict(model, ImageTensors.ToTensor(batch.Pixels, batch.Count));
            if (batch.Labels is { } labels)
            {
                long[] predicted = logits.argmax(1).ToArray<long>();
                for (int i = 0; i < predicted.Length; i++) if (predicted[i] == labels[i]) correct++;
                labelled += batch.Count;
            }
            selection = selector.Select(logits);
        }
        framesSeen += batch.Count;
        foreach (long i in selection.Kept)
            selected.Add(batch.Pixels.AsSpan((int)i * Dataset.PixelsPerImage, Dataset.PixelsPerImage).ToArray());
        while (selected.Count >= settings.UploadBatch) SendUpload();
    }

    private void SendUpload()
    {
        int n = settings.UploadBatch;
        var pixels = new byte[n * Dataset.PixelsPerImage];
        for (int i = 0; i < n; i++) selected[i].CopyTo(pixels, i * Dataset.PixelsPerImage);
        selected.RemoveRange(0, n);
        coordinator.Tell(new Upload(settings.Edge, settings.Group, version, pixels, n), Self);
        samplesUploaded += n;
        uploads++;
        versionStartedUploading ??= Stopwatch.GetTimestamp();
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
        if (versionStartedUploading is { } started)
        {
            lastLatency = Stopwatch.GetElapsedTime(started);
            latencyTotal += lastLatency.Value;
            latencies++;
            versionStartedUploading = null;
        }
    }

    private EdgeStats Stats() => new(
        settings.Edge, settings.Group, subscribed, version,
        framesSeen, rejectedBatches, labelled, correct, labelled == 0 ? 0 : (double)correct / labelled,
        selector.Totals, samplesUploaded, uploads, framesSeen == 0 ? 0 : (double)samplesUploaded / framesSeen,
        updatesApplied, updatesIgnored, latestRequested,
        lastLatency, latencies == 0 ? null : latencyTotal / latencies);
}
