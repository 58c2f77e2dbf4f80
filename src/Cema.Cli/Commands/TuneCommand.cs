using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cema.Actors.Configuration;
using Cema.Cli.Tuning;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Models.Evaluation.Tuning;
using Cema.Models.Networks;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema tune</c>: chooses the selector and loss settings of CEMA and the learning rates (and EATA's selector)
/// of the baselines by coordinate descent over the grids of <c>cema.tune</c>, each candidate scored by a full
/// online simulation of the 4 validation corruptions on the validation split. The test set is never loaded.
/// Writes out/tune/tune-TIMESTAMP.json (every trial) and .md; <c>--write</c> puts the chosen values into
/// reference.conf with a comment saying where they came from.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var methods = new Option<string>("--methods")
        {
            Description = "Comma-separated methods to tune among " + string.Join(",", TunePlan.Tunable) + ".",
            DefaultValueFactory = _ => string.Join(",", TunePlan.Tunable),
        };
        var limit = new Option<int?>("--limit") { Description = "Validation images per corruption (default: cema.tune.limit)." };
        var budget = new Option<int?>("--budget") { Description = "Evaluations per method, at most (default: cema.tune.budget.METHOD)." };
        var keys = new Option<string?>("--keys") { Description = "Comma-separated grid keys (relative to cema.adapt) to search; the others stay at their configured values (default: every key of the grids)." };
        var write = new Option<bool>("--write") { Description = "Write the chosen values into the reference file, each with a comment saying so." };
        var reference = new Option<string?>("--reference") { Description = "The file --write edits (default: the checkout's hocon/reference.conf)." };
        var outDir = new Option<string>("--out") { Description = "Directory of the JSON record and the report.", DefaultValueFactory = _ => Path.Combine("out", "tune") };
        var models = new Option<string?>("--models") { Description = "Models directory with MODELS.json (default: cema.models.dir)." };
        var data = new Option<string?>("--data") { Description = "Fashion-MNIST directory (default: cema.data.fashion-mnist)." };
        var command = new Command("tune", "Choose selector, loss and learning-rate settings on the validation corruptions of the validation split (never the test set).")
        {
            methods, limit, budget, keys, write, reference, outDir, models, data,
        };
        command.SetAction(parse =>
        {
            try
            {
                var names = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var only = parse.GetValue(keys)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return Run(names, parse.GetValue(limit), parse.GetValue(budget), only, parse.GetValue(write), parse.GetValue(reference), parse.GetValue(outDir)!,
                    parse.GetValue(models), parse.GetValue(data));
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine($"cema tune: configuration error: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or KeyNotFoundException or FormatException)
            {
                Console.Error.WriteLine($"cema tune: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(IReadOnlyList<string> methods, int? limit, int? budget, IReadOnlyList<string>? keys, bool write, string? referencePath, string outDir, string? modelsDir, string? dataDir)
    {
        var unknown = methods.Where(m => !TunePlan.Tunable.Contains(m)).ToArray();
        if (unknown.Length > 0 || methods.Count == 0)
        {
            Console.Error.WriteLine($"cema tune: --methods: cannot tune {string.Join(", ", unknown)}; expected a comma-separated subset of {string.Join(",", TunePlan.Tunable)}");
            return 1;
        }
        var settings = CliSettings.Current;
        var baseConfig = settings.Config;
        var plan = TunePlan.FromConfig(baseConfig, methods, limit, budget, keys);
        string reference = referencePath is null ? Path.Combine(settings.Root, ConfigLoader.DefaultReferenceFile) : Path.GetFullPath(referencePath);
        if (write && !File.Exists(reference))
        {
            Console.Error.WriteLine($"cema tune: --reference {reference} does not exist");
            return 1;
        }
        int threads = settings.ApplyThreads();

        // The validation split only: the test file is not even read.
        Dataset validation = FashionMnistSplits.ValidationOf(FashionMnist.LoadTrainFile(dataDir ?? settings.DataDirectory));
        if (plan.Limit < 1 || plan.Limit > validation.Count)
        {
            Console.Error.WriteLine($"cema tune: --limit {plan.Limit} is outside 1–{validation.Count}, the validation images per corruption");
            return 1;
        }
        string directory = modelsDir is null ? settings.ModelsDirectory : Path.GetFullPath(modelsDir);
        var (edge, edgeEntry) = ModelStore.Load(directory, "edge");
        using var _ = edge;
        var (foundation, foundationEntry) = ModelStore.Load(directory, "foundation");
        using var __ = foundation;
        using var simulationModels = SimulationModels.FromResNets(edge, foundation);

        var stream = new ShiftStream(validation, plan.Segments, plan.Protocol, settings.SimulationEdgeBatchSize, settings.CorruptionSeed, plan.Limit);
        var configuredSimulation = SimulationSettings.FromConfig(baseConfig);
        var seeds = configuredSimulation.Seeds;
        string command = "./cema " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        Console.WriteLine($"tune {string.Join(",", plan.Searches.Select(s => s.Method))}: validation split, {string.Join(", ", plan.Segments)}, " +
            $"{plan.Limit} images per corruption, {OnlineSimulator.ProtocolName(plan.Protocol)}; edge {edgeEntry.Sha256[..12]}…, foundation {foundationEntry.Sha256[..12]}… (sha256 ok); threads {threads}");
        Console.WriteLine($"seeds: stream {stream.Seed}, replay {seeds.Replay}, random upload {seeds.RandomUpload}, torch {seeds.Torch}");

        var progress = ProgressLine.ForConsole(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        void ShowRun(string run, SimulationProgress p, string uploadFormat, string best = "") =>
            progress.Update($"{run} {ProgressLine.Bar(p.SamplesProcessed / (double)p.TotalSamples)} {p.SamplesProcessed}/{p.TotalSamples} " +
                $"acc {p.RunningAccuracy:F1}% up {p.RunningUploadRate.ToString(uploadFormat, CultureInfo.InvariantCulture)}%{best} elapsed {ProgressLine.Duration(clock.Elapsed)}");
        EataReference? eataReference = null;
        if (plan.CemaBelowEata && plan.Searches.Any(s => s.Method == AdaptationMethods.Cema))
        {
            var eata = new OnlineSimulator(simulationModels, configuredSimulation).RunMethod(AdaptationMethods.Eata, stream,
                progress: p => ShowRun("tune: eata at its configured settings, for cema's cap", p, "F1"));
            eataReference = new EataReference(eata.MeanAccuracy, eata.UploadRate, eata.Uploads, eata.Samples);
            plan = plan.WithCemaCap(eataReference.CemaCap);
            progress.WriteLine($"eata at its configured settings: acc {eata.MeanAccuracy:F2}% upload {eata.UploadRate:F2}% ({eata.Uploads} of {eata.Samples}); " +
                $"cema's cap: {eataReference.CemaCap:F3}%, one upload fewer (cema.tune.cema-below-eata)");
        }
        var results = new List<MethodTuneResult>();
        foreach (var search in plan.Searches)
        {
            var configured = search.Grid.ToDictionary(p => p.Key, p => p.IsBoolean
                ? (baseConfig.GetBool(AdaptationSettingsConfig.AdaptPath + "." + p.Key) ? 1.0 : 0.0)
                : baseConfig.GetDouble(AdaptationSettingsConfig.AdaptPath + "." + p.Key));
            progress.WriteLine($"{search.Method}: {search.Objective.Describe()}; budget {search.Budget} evaluations, up to {plan.Sweeps} sweeps over {string.Join(", ", search.Grid.Select(p => p.Key))}");
            int trialNumber = 0;
            Trial? bestSoFar = null;
            TrialMetrics Evaluate(IReadOnlyDictionary<string, double> values)
            {
                trialNumber++;
                var simulation = SimulationSettings.FromConfig(WithValues(baseConfig, search.Grid, values));
                var simulator = new OnlineSimulator(simulationModels, simulation);
                string best = bestSoFar is null ? "" : $" | best {bestSoFar.Metrics.Accuracy:F1}% @ {bestSoFar.Metrics.UploadRate:F0}% up";
                var result = simulator.RunMethod(search.Method, stream, progress: p => ShowRun($"tune {search.Method} trial {trialNumber}/{search.Budget}", p, "F0", best));
                return new TrialMetrics(result.MeanAccuracy, result.UploadRate, new Dictionary<string, double>
                {
                    ["cloud_steps"] = result.CloudSteps,
                    ["replay_only_steps"] = result.ReplayOnlySteps,
                    ["cloud_step_ms"] = Math.Round(result.CloudStepMilliseconds, 1),
                });
            }
            var outcome = CoordinateDescent.Run(search.Grid, configured, Evaluate, search.Objective, search.Budget, plan.Sweeps, (trial, best) =>
            {
                bestSoFar = best;
                string what = trial.Changed is { } k ? $"{k}={Render(search, k, trial.Values[k])}" : "start " + string.Join(" ", trial.Values.Select(kv => $"{kv.Key}={Render(search, kv.Key, kv.Value)}"));
                progress.WriteLine($"  {search.Method} #{trial.Index,-2} {what}: acc {trial.Metrics.Accuracy:F2}% upload {trial.Metrics.UploadRate:F1}% score {trial.Score:F2} " +
                    $"({trial.Elapsed.TotalSeconds:F0} s; best #{best.Index} {best.Score:F2})");
            });
            results.Add(new MethodTuneResult(search, configured, outcome));
            var chosen = outcome.Best;
            progress.WriteLine($"{search.Method}: chose #{chosen.Index}: acc {chosen.Metrics.Accuracy:F2}% upload {chosen.Metrics.UploadRate:F1}% — " +
                string.Join(", ", chosen.Values.Select(kv => $"{kv.Key}={Render(search, kv.Key, kv.Value)}")));
        }

        var date = DateTime.UtcNow;
        var run = new TuneRun(command, date, plan, plan.Segments.Select(s => s.ToString()).ToArray(), stream.Seed, seeds, threads,
            edgeEntry.Sha256, foundationEntry.Sha256, results, clock.Elapsed, write ? reference : null, eataReference);
        if (write)
        {
            string note = $"chosen by `{command}` on {date:yyyy-MM-dd} from the validation corruptions ({string.Join(", ", Corruption.Validation.Select(c => c.Name))}; " +
                $"severity {string.Join("+", plan.Severities)}, {OnlineSimulator.ProtocolName(plan.Protocol)}, {plan.Limit} validation-split images each, " +
                $"{plan.Rounds} pass{(plan.Rounds == 1 ? "" : "es")}), never the test set" +
                (eataReference is { } e ? $"; CEMA capped at one upload fewer than EATA's {e.UploadRate:F2} % ({e.Uploads} of {e.Samples}) on that stream" : "");
            File.WriteAllText(reference, ConfigFileEditor.SetValues(File.ReadAllText(reference), run.Chosen, note));
            Console.WriteLine($"wrote the chosen values into {reference}");
        }
        Directory.CreateDirectory(outDir);
        string stem = Path.Combine(outDir, $"tune-{date:yyyyMMdd-HHmmss}");
        File.WriteAllText(stem + ".json", run.Json());
        File.WriteAllText(stem + ".md", run.Markdown());
        Console.WriteLine($"wrote {Path.GetFullPath(stem)}.json and .md ({clock.Elapsed.TotalMinutes:F1} min)");
        return 0;
    }

    private static string Render(MethodSearch search, string key, double value) => search.Grid.First(p => p.Key == key).Render(value);

    /// <summary><paramref name="config"/> with cema.adapt.KEY = value for each searched key.</summary>
    private static Config WithValues(Config config, IReadOnlyList<TuningParameter> grid, IReadOnlyDictionary<string, double> values)
    {
        string text = string.Join("\n", grid.Select(p => $"{AdaptationSettingsConfig.AdaptPath}.{p.Key} = {p.Render(values[p.Key])}"));
        return Config.ParseString(text, "cema tune candidate", environment: _ => null).WithFallback(config);
    }
}
