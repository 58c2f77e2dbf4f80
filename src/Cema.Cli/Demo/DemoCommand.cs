using System.CommandLine;
using System.Globalization;
using Cema.Actors.Cloud;
using Cema.Actors.Configuration;
using Cema.Actors.Distiller;
using Cema.Actors.Edge;
using Cema.Actors.Embedded;
using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Cli.Demo;

/// <summary>
/// <c>cema demo</c>: CEMA in one process, no broker — edges (EdgeActor), the cloud coordinator, a distiller
/// pool and the replay actor, with parameter updates over the topic mediator; each edge on a continual
/// stream of its own corruption order. A live view while it runs, then a final table,
/// <c>results.json</c> and <c>report.html</c> in <c>cema.demo.out</c>.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The demo's own configuration, used when no --config is given.</summary>
    public const string DefaultConfigFile = "hocon/demo.conf";

    /// <summary>Program.cs: with the verb demo and no --config, load hocon/demo.conf over reference.conf.</summary>
    public static ConfigArguments WithDefaultConfig(ConfigArguments arguments, string root) =>
        arguments.ConfigFile is null && arguments.Remaining.Count > 0 && arguments.Remaining[0] == "demo"
            ? arguments with { ConfigFile = Path.Combine(root, DefaultConfigFile) }
            : arguments;

    public static Command Create()
    {
        var edges = new Option<int?>("--edges") { Description = "Edge devices (default cema.demo.edges)." };
        var distillers = new Option<int?>("--distillers") { Description = "Distillers in the cloud's pool (default cema.cloud.distillers.pool-size)." };
        var severity = new Option<int?>("--severity") { Description = "Corruption severity 1–5 (default cema.demo.severity)." };
        var samples = new Option<int?>("--samples-per-edge") { Description = "Frames each edge sees, split over its corruptions (default cema.demo.samples-per-edge)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the corruption orders, streams and replay draws (default cema.demo.seed)." };
        var output = new Option<string?>("--out") { Description = "Directory for results.json and report.html (default cema.demo.out)." };
        var models = new Option<string?>("--models") { Description = "Models directory with MODELS.json (default: cema.models.dir)." };
        var data = new Option<string?>("--data") { Description = "Fashion-MNIST directory (default: cema.data.fashion-mnist)." };
        var command = new Command("demo", "CEMA in one process: edges, cloud coordinator, distiller pool, replay; live view, results.json, report.html.")
        {
            edges, distillers, severity, samples, seed, output, models, data,
        };
        command.SetAction(parse =>
        {
            try
            {
                var cli = CliSettings.Current;
                var settings = DemoSettings.FromConfig(cli.Config);
                settings = settings with
                {
                    Edges = parse.GetValue(edges) ?? settings.Edges,
                    Severity = parse.GetValue(severity) ?? settings.Severity,
                    SamplesPerEdge = parse.GetValue(samples) ?? settings.SamplesPerEdge,
                    Seed = parse.GetValue(seed) ?? settings.Seed,
                    Out = parse.GetValue(output) ?? settings.Out,
                };
                return Run(cli, settings, parse.GetValue(distillers), parse.GetValue(models), parse.GetValue(data)).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or ConfigException)
            {
                Console.Error.WriteLine($"cema demo: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> Run(CliSettings cli, DemoSettings settings, int? distillerCount, string? modelsDir, string? dataDir)
    {
        var config = cli.Config;
        var pool = DistillerSettings.FromConfig(config);
        if (distillerCount is { } d)
        {
            if (d < 1)
            {
                Console.Error.WriteLine($"cema demo: --distillers (cema.cloud.distillers.pool-size) must be at least 1, got {d}");
                return 1;
            }
            pool = pool with { PoolSize = d };
        }
        Dataset test = FashionMnist.LoadTest(dataDir ?? cli.DataDirectory);
        if (settings.Problem(test.Count, Corruption.Test.Count) is { } problem)
        {
            Console.Error.WriteLine($"cema demo: {problem}");
            return 1;
        }
        var coordinatorSettings = CloudCoordinatorSettings.FromConfig(config, seed: settings.Seed);
        var edgeSettings = EdgeSettings.FromConfig(config, "edge", "edges");
        var replaySettings = ReplayActorSettings.FromConfig(config);
        // Read before the frames are prepared, so a bad cema.runtime key fails at once.
        var runtimeSettings = ActorSystemSettings.FromConfig(config);
        int threads = cli.ApplyThreads();

        string directory = modelsDir is null ? cli.ModelsDirectory : Path.GetFullPath(modelsDir);
        var (edgeModel, edgeEntry) = ModelStore.Load(directory, "edge");
        var (foundationModel, foundationEntry) = ModelStore.Load(directory, "foundation");
        var distillerModels = new DistillerModels(edgeModel.Spec, Detached(edgeModel), foundationModel.Spec, Detached(foundationModel));
        edgeModel.Dispose();
        foundationModel.Dispose();

        string commandLine = "./cema " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1));
        Console.WriteLine($"cema demo: {settings.Edges} edges, {pool.PoolSize} distillers, severity {settings.Severity}, {settings.SamplesPerEdge} frames per edge " +
            $"({settings.FramesPerCorruption} per corruption, batches of {settings.BatchSize}), seed {settings.Seed}");
        Console.WriteLine($"models: edge {edgeEntry.Sha256[..12]}…, foundation {foundationEntry.Sha256[..12]}… (sha256 ok); LibTorch threads {threads}; " +
            $"update delay {edgeSettings.UpdateDelay}; one session per {(coordinatorSettings.SessionPerGroup ? "group" : "edge")}; updates {Encoding(coordinatorSettings)}");

        var streams = DemoStreams.Build(test, settings);
        foreach (var s in streams)
            Console.WriteLine($"{s.Edge}: stream seed {s.StreamSeed}, order {string.Join(" → ", s.Order.Select(o => o.Corruption))}");

        var progress = ProgressLine.ForConsole(TimeSpan.FromSeconds(15));
        var prepared = new List<EmbeddedEdgeStream>();
        foreach (var s in streams)
        {
            var batches = new List<Batch>();
            foreach (var batch in s.Stream)
            {
                batches.Add(batch);
                progress.Update($"preparing the corrupted frames: {s.Edge} {batches.Count}/{s.Stream.TotalBatches} batches");
            }
            prepared.Add(new EmbeddedEdgeStream(s.Edge, batches));
        }
        progress.WriteLine($"prepared {prepared.Sum(p => p.Batches.Sum(b => b.Count))} corrupted frames");

        string outDir = cli.FromRoot(settings.Out);
        using var log = new LogFile(Path.Combine(outDir, "actors.log"));
        await using var system = ActorSystem.Create("cema-demo", runtimeSettings with { LoggerFactory = log });
        var runSettings = new EmbeddedRunSettings(coordinatorSettings, replaySettings, pool, edgeSettings);
        var run = await EmbeddedRun.StartAsync(system, runSettings, distillerModels, prepared, window: edgeSettings.UpdateDelay + 2);
        var view = LiveView.ForConsole(settings.PlainInterval, streams);
        var result = await run.RunToEndAsync(settings.Refresh, snapshot => view.Show(snapshot, force: snapshot.Done));
        await system.Terminate();

        var info = new DemoRunInfo(commandLine, settings, pool.PoolSize, edgeSettings.UpdateDelay, coordinatorSettings.SessionPerGroup ? "group" : "edge",
            Encoding(coordinatorSettings), threads,
            new DemoModels(edgeEntry.Spec, edgeEntry.Sha256, foundationEntry.Spec, foundationEntry.Sha256));
        var demo = DemoResults.From(result, streams, info);
        Console.WriteLine();
        Console.Write(FinalTable(demo));
        string json = Path.Combine(outDir, "results.json"), html = Path.Combine(outDir, "report.html");
        DemoResults.WriteFile(demo, json);
        DemoReport.WriteFile(demo, html);
        Console.WriteLine($"wrote {CliSettings.ForDisplay(json)} and {CliSettings.ForDisplay(html)}; {log.Count} actor warnings in {CliSettings.ForDisplay(log.FilePath)}");
        Console.WriteLine($"every edge above Source: {(demo.EveryEdgeAboveSource ? "yes" : "NO")}; wall time {demo.ElapsedSeconds:F1} s");
        foreach (var t in distillerModels.EdgeState.Values.Concat(distillerModels.FoundationState.Values)) t.Dispose();
        return 0;
    }

    private static string Encoding(CloudCoordinatorSettings s) => s.Encoding switch
    {
        Models.Adaptation.NormParamsEncoding.Fp32 => "fp32",
        Models.Adaptation.NormParamsEncoding.Fp16 => "fp16",
        _ => "fp16-delta",
    };

    private static Dictionary<string, Tensor> Detached(ResNet model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());

    internal static string FinalTable(DemoResult result)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"edge",-8} {"frames",7} {"accuracy",9} {"Source",8} {"gain",7} {"upload",7} {"version",8} {"latency",9}\n");
        foreach (var e in result.Edges)
        {
            string latency = e.MeanUpdateLatencyMs is { } l ? $"{l:F0}ms" : "–";
            text.Append(CultureInfo.InvariantCulture,
                $"{e.Name,-8} {e.Frames,7} {e.Accuracy,8:F2}% {e.SourceAccuracy,7:F2}% {e.Gain,7:+0.00;-0.00} {e.UploadRate,6:F1}% {"v" + e.Version,8} {latency,9}\n");
        }
        var c = result.Cloud;
        text.Append(CultureInfo.InvariantCulture,
            $"cloud: {c.Steps} steps ({c.ReplayOnlySteps} replay-only), {c.StepsPerSecond:F2} steps/s, pool {c.PoolSize}, {c.UpdatesPublished} updates published, {c.SamplesReceived} samples uploaded\n");
        return text.ToString();
    }
}
