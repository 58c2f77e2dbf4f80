using System.Text.Json;
using System.Text.Json.Serialization;
using Cema.Actors.Embedded;

namespace Cema.Cli.Demo;

/// <summary>What <c>cema demo</c> writes to results.json (schema: docs/DEMO.md). Accuracies and rates are percentages.</summary>
internal sealed record DemoResult(
    string Schema,
    int SchemaVersion,
    string Command,
    ulong Seed,
    int Severity,
    int SamplesPerEdge,
    int FramesPerCorruption,
    int BatchSize,
    int Distillers,
    int UpdateDelay,
    string SessionPer,
    string ParamsEncoding,
    int TorchThreads,
    DemoModels Models,
    double ElapsedSeconds,
    bool EveryEdgeAboveSource,
    IReadOnlyList<DemoEdgeResult> Edges,
    DemoCloudResult Cloud);

internal sealed record DemoModels(string Edge, string EdgeSha256, string Foundation, string FoundationSha256);

internal sealed record DemoEdgeResult(
    string Name,
    ulong StreamSeed,
    IReadOnlyList<string> Order,
    long Frames,
    double Accuracy,
    double SourceAccuracy,
    double Gain,
    double UploadRate,
    long Uploaded,
    long Version,
    long UpdatesApplied,
    long UpdatesIgnored,
    double? MeanUpdateLatencyMs,
    IReadOnlyList<DemoSegmentResult> Segments,
    IReadOnlyList<DemoBatchRecord> Batches,
    IReadOnlyList<DemoUpdateRecord> Updates);

internal sealed record DemoSegmentResult(string Corruption, int Severity, long Frames, double Accuracy, double SourceAccuracy, double UploadRate);

/// <summary>One edge batch: its frames, right predictions (edge and source), uploads, the selector's E_max, the version it was predicted with, and when.</summary>
internal sealed record DemoBatchRecord(long Sequence, string Corruption, int Frames, int Correct, int SourceCorrect, int Uploaded, double? EMax, long Version, double TSeconds);

internal sealed record DemoUpdateRecord(long Version, double? LatencyMs, double TSeconds);

internal sealed record DemoCloudResult(
    long Steps,
    long ReplayOnlySteps,
    long ReplayOnlyCoalesced,
    long UpdatesPublished,
    double StepsPerSecond,
    int PoolSize,
    long SamplesReceived,
    long SamplesDropped,
    long JobsResent,
    long ReplayBytes,
    long ReplayEvicted);

internal static class DemoResults
{
    public const string SchemaName = "cema-demo";
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static double Percent(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;

    public static DemoResult From(EmbeddedRunResult run, IReadOnlyList<DemoStream> streams, DemoRunInfo info)
    {
        var edges = new List<DemoEdgeResult>();
        foreach (var edge in run.Edges)
        {
            var stream = streams.Single(s => s.Edge == edge.Stats.Edge);
            var batches = edge.Record.Batches;
            var segments = batches.GroupBy(b => b.Segment).OrderBy(g => g.Key).Select(g =>
            {
                long frames = g.Sum(b => (long)b.Observed.Frames);
                return new DemoSegmentResult(g.First().Corruption, g.First().Severity, frames,
                    Percent(g.Sum(b => (long)b.Observed.Correct), frames), Percent(g.Sum(b => (long)b.Observed.SourceCorrect), frames),
                    Percent(g.Sum(b => (long)b.Observed.Uploaded), frames));
            }).ToArray();
            double accuracy = 100 * edge.Stats.Accuracy, source = 100 * (edge.Stats.SourceAccuracy ?? 0);
            edges.Add(new DemoEdgeResult(
                edge.Stats.Edge, stream.StreamSeed, stream.Order.Select(o => o.ToString()).ToArray(),
                edge.Stats.FramesSeen, accuracy, source, accuracy - source,
                100 * edge.Stats.UploadRate, edge.Stats.SamplesUploaded, edge.Stats.Version, edge.Stats.UpdatesApplied, edge.Stats.UpdatesIgnored,
                edge.Stats.MeanUpdateLatency?.TotalMilliseconds,
                segments,
                batches.Select(b => new DemoBatchRecord(b.Observed.Sequence, b.Corruption, b.Observed.Frames, b.Observed.Correct, b.Observed.SourceCorrect,
                    b.Observed.Uploaded, double.IsFinite(b.Observed.EMax) ? b.Observed.EMax : null, b.Observed.Version, b.At.TotalSeconds)).ToArray(),
                edge.Record.Updates.Select(u => new DemoUpdateRecord(u.Applied.Version, u.Applied.Latency?.TotalMilliseconds, u.At.TotalSeconds)).ToArray()));
        }
        var sessions = run.Cloud.Sessions;
        long steps = sessions.Sum(s => s.JobsCompleted);
        var cloud = new DemoCloudResult(
            steps, sessions.Sum(s => s.ReplayOnlySteps), sessions.Sum(s => s.ReplayOnlyCoalesced), run.Cloud.UpdatesPublished,
            run.Elapsed.TotalSeconds > 0 ? steps / run.Elapsed.TotalSeconds : 0, run.PoolSize,
            sessions.Sum(s => s.SamplesReceived), sessions.Sum(s => s.PendingDropped), run.Cloud.JobsResent,
            run.Replay.TotalBytes, run.Replay.TotalEvicted);
        return new DemoResult(SchemaName, SchemaVersion, info.Command, info.Settings.Seed, info.Settings.Severity, info.Settings.SamplesPerEdge, info.Settings.FramesPerCorruption,
            info.Settings.BatchSize, info.Distillers, info.UpdateDelay, info.SessionPer, info.ParamsEncoding, info.TorchThreads, info.Models,
            run.Elapsed.TotalSeconds, edges.All(e => e.Accuracy > e.SourceAccuracy), edges, cloud);
    }

    public static void WriteFile(DemoResult result, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(result, Json) + "\n");
    }
}

/// <summary>The run's settings as they go into the result, besides <see cref="DemoSettings"/>.</summary>
internal sealed record DemoRunInfo(string Command, DemoSettings Settings, int Distillers, int UpdateDelay, string SessionPer, string ParamsEncoding, int TorchThreads, DemoModels Models);
