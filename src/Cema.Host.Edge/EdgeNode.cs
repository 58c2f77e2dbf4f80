using System.Diagnostics;
using System.Text.Json;
using Cema.Actors.Cloud;
using Cema.Actors.Cluster;
using Cema.Actors.Cluster.Bridges;
using Cema.Actors.Cluster.Membership;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Configuration;
using Cema.Actors.Edge;
using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;
using Microsoft.Extensions.Logging;

namespace Cema.Host.Edge;

/// <param name="Id">The edge's node id.</param>
/// <param name="Group">Its parameter group (default: its id, i.e. a session of its own).</param>
/// <param name="Stream">The camera's stream, segment after segment.</param>
/// <param name="FramesPerSegment">Test images per segment.</param>
/// <param name="BatchSize">Frames per batch.</param>
/// <param name="FramesPerSecond">Camera rate; 0: as fast as the edge classifies.</param>
/// <param name="Seed">Corruption and order seed.</param>
/// <param name="Linger">Stay a member after the stream ends, until stopped.</param>
/// <param name="ReportPath">Where the JSON summary goes.</param>
public sealed record EdgeNodeOptions(string Id, string Group, IReadOnlyList<ShiftSegment> Stream, int FramesPerSegment, int BatchSize,
    double FramesPerSecond, ulong Seed, bool Linger, string ModelsDirectory, string DataDirectory, string ReportPath)
{
    /// <summary>How messages name the stream: the option and its key.</summary>
    public const string StreamOption = "--stream (cema.cluster.edge.stream)";

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the option and its key for the first value out of range, so a
    /// mistyped stream or rate fails before the models load and the broker is dialled.
    /// </summary>
    public EdgeNodeOptions Validate()
    {
        if (Stream.Count == 0) throw new ArgumentException($"{StreamOption} holds no segment; write corruption:severity, e.g. fog:5");
        foreach (var segment in Stream)
        {
            if (!Corruption.Names.Contains(segment.Corruption))
                throw new ArgumentException($"{StreamOption}: unknown corruption '{segment.Corruption}'; known: {string.Join(", ", Corruption.Names)}");
            if (segment.Severity is < Corruption.MinSeverity or > Corruption.MaxSeverity)
                throw new ArgumentException($"{StreamOption}: {segment} has severity {segment.Severity}; severities are {Corruption.MinSeverity}-{Corruption.MaxSeverity}");
        }
        if (FramesPerSegment < 1)
            throw new ArgumentException($"--frames (cema.cluster.edge.frames-per-segment) must be at least 1, but it is {FramesPerSegment}");
        if (BatchSize < 1) throw new ArgumentException($"cema.cluster.edge.batch-size must be at least 1, but it is {BatchSize}");
        if (!(FramesPerSecond >= 0) || double.IsInfinity(FramesPerSecond))
            throw new ArgumentException($"--rate (cema.cluster.edge.frames-per-second) must be 0 (unpaced) or a positive number of frames per second, but it is {FramesPerSecond}");
        return this;
    }
}

/// <summary>What an edge node did, as written to its JSON report.</summary>
/// <remarks>
/// <c>UploadsSent</c>, <c>UploadsRefused</c> and <c>UploadsLost</c> count upload messages (one per frame batch
/// with a selected sample): confirmed by the broker, refused at the sender by the size limit, and given up after
/// the send timeout. A fault the cluster rides out (a killed cloud process, a broker back within the timeout)
/// leaves <c>UploadsLost</c> at 0.
/// </remarks>
public sealed record EdgeNodeReport(string Edge, string Group, string Stream, ulong Seed, long Frames, double Accuracy, double SourceAccuracy,
    long Version, long UpdatesApplied, long UpdatesIgnored, long SamplesUploaded, double UploadRate, long UploadsSent, long UploadsRefused, long UploadsLost,
    double? MeanUpdateLatencyMs, double WallSeconds);

/// <summary>An edge process of the cluster; see README.md beside this file.</summary>
public static class EdgeNode
{
    public static async Task<int> RunAsync(Config config, ClusterSettings cluster, EdgeNodeOptions options, TextWriter output, CancellationToken stop)
    {
        options.Validate();
        string id = ClusterTopology.CheckName(options.Id, "--id");
        string group = ClusterTopology.CheckName(options.Group, "--group");
        var topology = cluster.Topology;
        var wall = Stopwatch.StartNew();
        void Say(string line)
        {
            lock (output) output.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
        }
        using var loggers = new LineLoggerFactory(Console.Error);

        var (source, entry) = ModelStore.Load(options.ModelsDirectory, cluster.EdgeModel);
        var state = Detached(source);
        var test = FashionMnist.LoadTest(options.DataDirectory);
        var stream = new ShiftStream(test, options.Stream, ShiftMode.Continual, options.BatchSize, options.Seed, options.FramesPerSegment);
        string streamText = string.Join(",", options.Stream);
        Say($"{id}: edge of group {group}; model {cluster.EdgeModel} ({entry.Spec}); stream {streamText}, {stream.ImagesPerSegment} frames per segment, " +
            $"batches of {options.BatchSize}, {(options.FramesPerSecond > 0 ? $"{options.FramesPerSecond:0} frames/s" : "unpaced")}, seed {options.Seed}");

        await using var transport = await RabbitMqTransport.ConnectAsync(cluster.RabbitMq($"cema edge {id}"), new WireCodec(cluster.Limits), loggers.CreateLogger("Cema.RabbitMq"), stop);
        await topology.DeclareSharedAsync(transport, stop);
        await transport.DeclareAsync(topology.ControlInbox(id, cluster), stop);
        await transport.DeclareAsync(topology.ParamsInbox(id, group, cluster), stop);

        var system = ActorSystem.Create("cema-edge", config, loggers);
        var consumers = new List<IAsyncDisposable>();
        try
        {
            var proxy = system.ActorOf(CloudProxy.Props(topology, id, transport, Say), "cloud");
            var edge = system.ActorOf(EdgeActor.Props(EdgeSettings.FromConfig(config, id, group), source.Spec, state, proxy), "edge");
            var member = system.ActorOf(MemberActor.Props(cluster, new MemberJoin(id, MemberRole.Edge, group, Guid.NewGuid().ToString("N")[..12], 0),
                transport, edge, proxy, () => 0, Say), "member");
            var ask = cluster.UnreachableAfter;
            // A process that was stalled (suspended, a laptop asleep) finds a pending ask expired although the
            // edge actor is alive and answers at once; one more ask tells the two apart instead of ending the node.
            async Task<T> AskAsync<T>(IActorRef actor, object question, CancellationToken ct)
            {
                try
                {
                    return await actor.Ask<T>(question, ask, ct);
                }
                catch (AskTimeoutException)
                {
                    return await actor.Ask<T>(question, ask, ct);
                }
            }
            Task<EdgeStats> StatsAsync(CancellationToken ct) => AskAsync<EdgeStats>(edge, GetEdgeStats.Instance, ct);

            consumers.Add(await transport.ConsumeAsync(topology.NodeControl(id), 1, (delivery, _) =>
            {
                member.Tell(MembershipWire.FromWire(delivery.Message));
                return Task.CompletedTask;
            }, stop));
            long applied = 0;
            consumers.Add(await transport.ConsumeAsync(topology.NodeParams(id), 1, async (delivery, ct) =>
            {
                ParamsUpdated update;
                try
                {
                    if (delivery.Message.UploadHandled is { } handled)
                    {
                        await edge.TellAsync(WireMessages.FromWire(handled), cancellationToken: ct);
                        return;
                    }
                    update = WireMessages.FromWire(delivery.Message.ParamsUpdated ?? throw new WireException("body", "neither a parameter update nor an upload answer"));
                }
                catch (WireException e)
                {
                    Say($"{id}: dropped a parameter update that cannot be read: {e.Message}");
                    return;
                }
                await edge.TellAsync(update, cancellationToken: ct);
                var after = await StatsAsync(ct);
                if (after.UpdatesApplied > applied)
                {
                    applied = after.UpdatesApplied;
                    Say($"{id}: applied version {after.Version} ({update.Encoding}, {update.Params.Length} B); updates applied {after.UpdatesApplied}");
                }
                else
                {
                    Say($"{id}: ignored version {update.Version} ({update.Encoding}); runs version {after.Version}");
                }
            }, stop));

            // The camera: frames in order, paced, each batch classified before the next (the edge takes its
            // parameter updates between batches); the unadapted model sees the same frames for the Source figure.
            long sourceCorrect = 0, frames = 0;
            var lastStatus = Stopwatch.StartNew();
            var pace = Stopwatch.StartNew();
            foreach (var batch in stream)
            {
                if (stop.IsCancellationRequested) break;
                var labels = batch.Labels.Select(l => (int)l).ToArray();
                await edge.TellAsync(new FrameBatch(batch.Pixels, batch.Count, labels), cancellationToken: stop);
                using (torch.NewDisposeScope())
                {
                    long[] predicted = EdgeInference.Predict(source, ImageTensors.ToTensor(batch.Pixels, batch.Count)).argmax(1).ToArray<long>();
                    for (int i = 0; i < predicted.Length; i++) if (predicted[i] == labels[i]) sourceCorrect++;
                }
                frames += batch.Count;
                var stats = await StatsAsync(stop);
                if (lastStatus.Elapsed >= cluster.StatusInterval)
                {
                    lastStatus.Restart();
                    Say($"{id}: {frames} frames, accuracy {100 * stats.Accuracy:0.0}% (source {100.0 * sourceCorrect / frames:0.0}%), version {stats.Version}, " +
                        $"uploaded {stats.SamplesUploaded} ({100 * stats.UploadRate:0.0}%)");
                }
                if (options.FramesPerSecond > 0)
                {
                    var due = TimeSpan.FromSeconds(frames / options.FramesPerSecond) - pace.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, stop).ContinueWith(_ => { });
                }
            }

            var final = await StatsAsync(CancellationToken.None);
            var proxyStats = await AskAsync<CloudProxyStats>(proxy, GetCloudProxyStats.Instance, CancellationToken.None);
            var report = new EdgeNodeReport(id, group, streamText, options.Seed, final.LabelledFrames, final.Accuracy,
                frames == 0 ? 0 : (double)sourceCorrect / frames, final.Version, final.UpdatesApplied, final.UpdatesIgnored, final.SamplesUploaded,
                final.UploadRate, proxyStats.UploadsSent, proxyStats.UploadsRefused, proxyStats.UploadsLost, final.MeanUpdateLatency?.TotalMilliseconds, wall.Elapsed.TotalSeconds);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.ReportPath))!);
            await File.WriteAllTextAsync(options.ReportPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }) + "\n", CancellationToken.None);
            Say($"{id}: done: {report.Frames} frames, accuracy {100 * report.Accuracy:0.00}%, source {100 * report.SourceAccuracy:0.00}% on the same frames, " +
                $"version {report.Version}, updates applied {report.UpdatesApplied}, uploaded {report.SamplesUploaded} ({100 * report.UploadRate:0.0}%) " +
                $"in {report.UploadsSent} messages ({report.UploadsRefused} refused, {report.UploadsLost} lost); report {options.ReportPath}");

            if (options.Linger && !stop.IsCancellationRequested)
            {
                Say($"{id}: stream done; staying a member until stopped (Ctrl-C)");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
            await member.Ask<LeaveCluster>(new LeaveCluster(stop.IsCancellationRequested ? "stopped" : "stream done"), cluster.SendTimeout);
        }
        finally
        {
            foreach (var consumer in consumers) await consumer.DisposeAsync();
            await system.Terminate();
            source.Dispose();
            foreach (var tensor in state.Values) tensor.Dispose();
        }
        return 0;
    }

    private static Dictionary<string, Tensor> Detached(ResNet model)
    {
        using var scope = torch.NewDisposeScope();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }
}
