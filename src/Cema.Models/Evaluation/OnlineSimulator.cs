using System.Diagnostics;
using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Torch;

namespace Cema.Models.Evaluation;

/// <summary>
/// The edge and the cloud of one method in one process, over a <see cref="ShiftStream"/>, measuring
/// what the paper measures: online accuracy (each batch predicted with the parameters the edge holds at
/// that moment), uploads and the bytes both ways.
/// <para>Per edge batch t:</para>
/// <list type="number">
/// <item>every update produced while handling batch t − K (or earlier) is decoded from its bytes and applied;</item>
/// <item>the edge predicts the batch (forward only, no autograd graph; the simulator checks) and its predictions are scored;</item>
/// <item>the edge picks its uploads; their uint8 pixels go to the cloud (counted as 784 + header bytes each);</item>
/// <item>the cloud takes them and runs every step they trigger (one per 32 pending new uploads, plus CEMA's replay-only step);</item>
/// <item>if any step ran, the replica's norm parameters become version v + 1, are encoded (delta against version v,
///   which the edge will hold when it decodes them) and go in flight, due before batch t + K.</item>
/// </list>
/// In per-domain mode the first batch of each segment starts a new session: every model is rebuilt from
/// the source weights, and the optimizers, replay buffer, selector and in-flight updates are dropped.
/// </summary>
public sealed class OnlineSimulator
{
    /// <param name="settings">Usually <c>SimulationSettings.FromConfig(config)</c>: reference.conf's defaults plus overrides.</param>
    public OnlineSimulator(SimulationModels models, SimulationSettings settings)
    {
        Models = models ?? throw new ArgumentNullException(nameof(models));
        Settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
    }

    public SimulationModels Models { get; }
    public SimulationSettings Settings { get; }

    /// <summary>
    /// Runs <paramref name="methods"/> (names of <see cref="AdaptationMethods"/>) over <paramref name="stream"/>, each
    /// from the source models. "random" uploads at <paramref name="randomUploadRate"/> (a fraction in [0, 1]) when
    /// given, else at CEMA's measured rate: CEMA then runs first (an extra run, not reported, when it was not asked for).
    /// </summary>
    public SimulationResult Run(ShiftStream stream, IReadOnlyList<string> methods, Action<SimulationProgress>? progress = null, double? randomUploadRate = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Count == 0) throw new ArgumentException("name at least one method", nameof(methods));
        foreach (string name in methods)
        {
            if (!AdaptationMethods.Names.Contains(name))
                throw new ArgumentException($"unknown adaptation method '{name}' (expected one of {string.Join(", ", AdaptationMethods.Names)})", nameof(methods));
        }
        if (methods.Distinct().Count() != methods.Count) throw new ArgumentException("a method is named twice", nameof(methods));

        var clock = Stopwatch.StartNew();
        bool needsCemaRate = methods.Contains(AdaptationMethods.Random) && randomUploadRate is null;
        bool extraCema = needsCemaRate && !methods.Contains(AdaptationMethods.Cema);
        var order = methods.ToList();
        if (needsCemaRate)
        {
            // CEMA before random, everything else as asked.
            order.Remove(AdaptationMethods.Cema);
            order.Insert(order.IndexOf(AdaptationMethods.Random), AdaptationMethods.Cema);
        }

        var results = new Dictionary<string, MethodResult>();
        double? rate = randomUploadRate;
        for (int i = 0; i < order.Count; i++)
        {
            string name = order[i];
            var result = RunMethod(name, stream, name == AdaptationMethods.Random ? rate : null, progress, i, order.Count);
            if (name == AdaptationMethods.Cema && rate is null) rate = result.Samples == 0 ? 0 : (double)result.Uploads / result.Samples;
            results[name] = result;
        }
        if (extraCema) results.Remove(AdaptationMethods.Cema);

        var severities = stream.Segments.Select(s => s.Severity).Distinct().ToArray();
        return new SimulationResult(
            Protocol: ProtocolName(stream.Mode),
            Severity: severities.Length == 1 ? severities[0] : null,
            Limit: stream.ImagesPerSegment,
            BatchSize: stream.BatchSize,
            UpdateDelay: Settings.UpdateDelay,
            DownlinkEncoding: Settings.DownlinkEncoding,
            UploadHeaderBytes: Settings.UploadHeaderBytes,
            StreamSeed: stream.Seed,
            Seeds: Settings.Seeds,
            TorchThreads: torch.get_num_threads(),
            Settings: Settings.Methods,
            Segments: stream.Segments.Select(s => s.ToString()).ToArray(),
            EdgeModel: Models.EdgeName,
            FoundationModel: Models.FoundationName,
            Methods: methods.Select(m => results[m]).ToArray(),
            Elapsed: clock.Elapsed);
    }

    /// <summary>"continual" or "per-domain", as results and the CLI write the protocol.</summary>
    public static string ProtocolName(ShiftMode mode) => mode == ShiftMode.PerDomain ? "per-domain" : "continual";

    /// <summary>One method by name. <paramref name="randomUploadRate"/> (fraction) is required for "random".</summary>
    public MethodResult RunMethod(string method, ShiftStream stream, double? randomUploadRate = null, Action<SimulationProgress>? progress = null, int methodIndex = 0, int methodCount = 1) =>
        RunMethod(method, context => AdaptationMethods.Create(method, context), stream, randomUploadRate, progress, methodIndex, methodCount);

    /// <summary>One method built by <paramref name="create"/> (one call per session), reported as <paramref name="name"/>.</summary>
    public MethodResult RunMethod(string name, Func<MethodContext, IAdaptationMethod> create, ShiftStream stream, double? randomUploadRate = null,
        Action<SimulationProgress>? progress = null, int methodIndex = 0, int methodCount = 1)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(stream);
        torch.manual_seed(Settings.Seeds.Torch);
        using var run = new MethodRun(this, name, create, stream, randomUploadRate, progress, methodIndex, methodCount);
        return run.Execute();
    }

    /// <summary>The state of one method's pass over the stream.</summary>
    private sealed class MethodRun : IDisposable
    {
        private readonly OnlineSimulator simulator;
        private readonly string name;
        private readonly Func<MethodContext, IAdaptationMethod> create;
        private readonly ShiftStream stream;
        private readonly double? randomUploadRate;
        private readonly Action<SimulationProgress>? progress;
        private readonly int methodIndex, methodCount;
        private readonly SimulationSettings settings;

        private IAdaptationMethod? method;
        private int sessions;
        private readonly Queue<(int due, byte[] bytes)> inFlight = new();
        private NormParams? edgeHeld, cloudSent;
        private long version;
        private SelectionCounts? selection;

        private readonly SortedDictionary<int, (string corruption, int severity, long samples, long correct, long uploads)> segments = new();
        private long samples, correct, uploads, uplinkBytes, updatesSent, updatesApplied, cloudSteps, replayOnlySteps;
        private DownlinkSizes downlink = DownlinkSizes.Zero;
        private TimeSpan edgeTime, cloudTime, stepTime;

        public MethodRun(OnlineSimulator simulator, string name, Func<MethodContext, IAdaptationMethod> create, ShiftStream stream, double? randomUploadRate,
            Action<SimulationProgress>? progress, int methodIndex, int methodCount)
        {
            this.simulator = simulator;
            this.name = name;
            this.create = create;
            this.stream = stream;
            this.randomUploadRate = randomUploadRate;
            this.progress = progress;
            this.methodIndex = methodIndex;
            this.methodCount = methodCount;
            settings = simulator.Settings;
        }

        public MethodResult Execute()
        {
            var clock = Stopwatch.StartNew();
            long total = (long)stream.ImagesPerSegment * stream.Segments.Count;
            int batchIndex = 0;
            foreach (var batch in stream)
            {
                if (method is null || batch.IsNewDomain) StartSession();
                ApplyDueUpdates(batchIndex);
                ProcessBatch(batch, batchIndex);
                batchIndex++;
                progress?.Invoke(new SimulationProgress(name, methodIndex, methodCount, samples, total, batch.SegmentIndex, batch.Corruption,
                    SegmentResult.Percent(correct, samples), SegmentResult.Percent(uploads, samples)));
            }
            EndSession();

            return new MethodResult(
                Name: name,
                Segments: segments.Select(kv => new SegmentResult(kv.Key, kv.Value.corruption, kv.Value.severity, kv.Value.samples, kv.Value.correct, kv.Value.uploads)).ToArray(),
                UplinkBytes: uplinkBytes,
                DownlinkBytes: downlink.For(settings.DownlinkEncoding),
                Downlink: downlink,
                UpdatesSent: updatesSent,
                UpdatesApplied: updatesApplied,
                CloudSteps: cloudSteps,
                ReplayOnlySteps: replayOnlySteps,
                Sessions: sessions,
                Selection: selection,
                RandomUploadRate: name == AdaptationMethods.Random && randomUploadRate is { } r ? 100 * r : null,
                Timing: new MethodTiming(clock.Elapsed, edgeTime, cloudTime, stepTime));
        }

        private void StartSession()
        {
            EndSession();
            var context = new MethodContext(simulator.Models.NewEdge, simulator.Models.NewFoundation, settings.Methods,
                settings.Seeds.Replay, settings.Seeds.RandomUpload, sessions, randomUploadRate);
            method = create(context) ?? throw new InvalidOperationException($"the factory of method '{name}' returned null");
            sessions++;
            inFlight.Clear();
            edgeHeld = cloudSent = method.HasCloud
                ? method.InitialParams ?? throw new InvalidOperationException($"method '{name}' has a cloud but no initial params")
                : null;
            version = 0;
        }

        private void EndSession()
        {
            if (method is null) return;
            if (method.SelectionTotals is { } counts) selection = (selection ?? default) + counts;
            method.Dispose();
            method = null;
        }

        private void ApplyDueUpdates(int batchIndex)
        {
            var clock = Stopwatch.StartNew();
            while (inFlight.Count > 0 && inFlight.Peek().due <= batchIndex)
            {
                var (_, bytes) = inFlight.Dequeue();
                var update = NormParams.Decode(bytes, edgeHeld!.Layout, edgeHeld);
                method!.ApplyUpdate(update);
                edgeHeld = update;
                updatesApplied++;
            }
            edgeTime += clock.Elapsed;
        }

        private void ProcessBatch(Batch batch, int batchIndex)
        {
            var m = method!;
            using var scope = torch.NewDisposeScope();
            var images = ImageTensors.ToTensor(batch);

            var edgeClock = Stopwatch.StartNew();
            var logits = m.Predict(images);
            if (logits.requires_grad || logits.has_grad_fn)
                throw new InvalidOperationException($"method '{name}' recorded an autograd graph on the edge (batch {batchIndex}); edges run forward only");
            long[] predicted = logits.argmax(1).ToArray<long>();
            long[] kept = m.SelectUploads(logits);
            edgeTime += edgeClock.Elapsed;

            long batchCorrect = 0;
            for (int i = 0; i < batch.Count; i++)
            {
                if (predicted[i] == batch.Labels[i]) batchCorrect++;
            }
            samples += batch.Count;
            correct += batchCorrect;
            uploads += kept.Length;
            uplinkBytes += kept.Length * (long)(Dataset.PixelsPerImage + settings.UploadHeaderBytes);
            segments.TryGetValue(batch.SegmentIndex, out var seg);
            segments[batch.SegmentIndex] = (batch.Corruption, batch.Severity, seg.samples + batch.Count, seg.correct + batchCorrect, seg.uploads + kept.Length);

            if (!m.HasCloud)
            {
                if (kept.Length > 0) throw new InvalidOperationException($"method '{name}' has no cloud but uploaded {kept.Length} samples");
                return;
            }

            var pixels = new byte[kept.Length * Dataset.PixelsPerImage];
            for (int k = 0; k < kept.Length; k++)
            {
                long row = kept[k];
                if (row < 0 || row >= batch.Count) throw new InvalidOperationException($"method '{name}' picked row {row} of a batch of {batch.Count}");
                batch.Pixels.AsSpan((int)row * Dataset.PixelsPerImage, Dataset.PixelsPerImage).CopyTo(pixels.AsSpan(k * Dataset.PixelsPerImage));
            }

            var cloudClock = Stopwatch.StartNew();
            var round = m.ReceiveUploads(pixels, kept.Length);
            foreach (var step in round.Steps)
            {
                cloudSteps++;
                if (step.Kind == CloudStepKind.ReplayOnly) replayOnlySteps++;
                stepTime += step.Elapsed;
            }
            if (round.ParamsChanged) SendUpdate(m, batchIndex);
            cloudTime += cloudClock.Elapsed;
        }

        private void SendUpdate(IAdaptationMethod m, int batchIndex)
        {
            version++;
            var update = m.SnapshotReplica(version);
            var previous = cloudSent!;
            byte[] bytes = update.Encode(settings.DownlinkEncoding, previous);
            downlink += new DownlinkSizes(
                update.ByteSize(NormParamsEncoding.Fp32),
                update.ByteSize(NormParamsEncoding.Fp16),
                update.ByteSize(NormParamsEncoding.Fp16Delta, previous));
            cloudSent = update;
            updatesSent++;
            inFlight.Enqueue((batchIndex + settings.UpdateDelay, bytes));
        }

        public void Dispose() => EndSession();
    }
}
