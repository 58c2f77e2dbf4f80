using System.Diagnostics;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Models.Networks;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema eval --protocol continual|per-domain --methods …</c>: every method's edge and cloud in one
/// process over the 15 test corruptions at one severity (DESIGN.md §5), as the paper's table.
/// </summary>
internal static class SimulationEval
{
    /// <param name="split">test: the 15 test corruptions on the test set (the benchmark); validation: the 4 validation
    /// corruptions on the validation split (what `cema tune` scores; for looking at methods without touching the test set).</param>
    public static int Run(string protocol, IReadOnlyList<string> methods, int severity, int? limit, string? jsonPath, string? modelsDir, string? dataDir, string split = "test", bool analyzeSelection = false)
    {
        if (severity < Corruption.MinSeverity || severity > Corruption.MaxSeverity)
        {
            Console.Error.WriteLine($"cema eval: --severity {severity} is not {Corruption.MinSeverity}–{Corruption.MaxSeverity} (the protocols run on corruptions)");
            return 1;
        }
        var unknown = methods.Where(m => !AdaptationMethods.Names.Contains(m)).ToArray();
        if (unknown.Length > 0 || methods.Count == 0)
        {
            Console.Error.WriteLine($"cema eval: --methods: unknown method(s) {string.Join(", ", unknown)}; expected a comma-separated subset of {string.Join(",", AdaptationMethods.Names)}");
            return 1;
        }
        var settings = CliSettings.Current;
        int threads = settings.ApplyThreads();
        string directory = modelsDir is null ? settings.ModelsDirectory : Path.GetFullPath(modelsDir);
        bool validation = split == "validation";
        Dataset test = validation
            ? FashionMnistSplits.ValidationOf(FashionMnist.LoadTrainFile(dataDir ?? settings.DataDirectory))
            : FashionMnist.LoadTest(dataDir ?? settings.DataDirectory);
        var segments = validation
            ? Corruption.Validation.Select(c => new ShiftSegment(c.Name, severity)).ToArray()
            : ShiftSegment.ImageNetCOrder(severity);
        int perCorruption = limit ?? settings.SimulationLimit;
        if (perCorruption < 1 || perCorruption > test.Count)
        {
            Console.Error.WriteLine($"cema eval: --limit {perCorruption} is outside 1–{test.Count}, the {split} images available per corruption");
            return 1;
        }

        var (edge, edgeEntry) = ModelStore.Load(directory, "edge");
        using var _ = edge;
        var (foundation, foundationEntry) = ModelStore.Load(directory, "foundation");
        using var __ = foundation;
        using var models = SimulationModels.FromResNets(edge, foundation);

        var mode = protocol == "per-domain" ? ShiftMode.PerDomain : ShiftMode.Continual;
        var stream = new ShiftStream(test, segments, mode, settings.SimulationEdgeBatchSize, settings.CorruptionSeed, perCorruption);
        var simulation = settings.Simulation;
        Console.WriteLine($"eval {protocol}: methods {string.Join(",", methods)}; {split} split; severity {severity}; {perCorruption} images per corruption; " +
            $"edge {edgeEntry.Sha256[..12]}…, foundation {foundationEntry.Sha256[..12]}… (sha256 ok); threads {threads}");
        Console.WriteLine($"seeds: stream {stream.Seed}, replay {simulation.Seeds.Replay}, random upload {simulation.Seeds.RandomUpload}, torch {simulation.Seeds.Torch}");
        Console.WriteLine($"order: {stream.Describe()}");

        var progress = ProgressLine.ForConsole(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        if (analyzeSelection) return SelectionReport.Run(models, stream, simulation.Methods.Selector, split, jsonPath, progress, clock);
        var result = new OnlineSimulator(models, simulation).Run(stream, methods, p =>
        {
            double done = (p.MethodIndex + p.SamplesProcessed / (double)p.TotalSamples) / p.MethodCount;
            progress.Update($"eval {ProgressLine.Bar(done)} {p.Method} ({p.MethodIndex + 1}/{p.MethodCount}) {p.Corruption} " +
                $"{p.SamplesProcessed}/{p.TotalSamples} acc {p.RunningAccuracy:F1}% elapsed {ProgressLine.Duration(clock.Elapsed)}");
        });
        progress.WriteLine("");
        Console.Write(ResultTable.Text(result));

        string path = jsonPath ?? Path.Combine("out", "results", $"{(validation ? "validation-" : "")}{protocol}-severity{severity}-limit{perCorruption}.json");
        SimulationResultJson.WriteFile(result, path);
        Console.WriteLine($"wrote {Path.GetFullPath(path)} ({clock.Elapsed.TotalMinutes:F1} min)");
        return 0;
    }
}
