using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Cema.Actors.Configuration;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Models.Networks;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema eval --method source --model edge --severity 5</c>: accuracy of a shipped model on every
/// test corruption at one severity (or the clean test set at severity 0), as a table and as JSON.
/// Methods are looked up in <see cref="Methods"/>, so adaptation methods (and later protocol options)
/// join the same verb as new entries.
/// </summary>
internal static class EvalCommand
{
    /// <summary>How a method turns a model and one domain's images into an accuracy in percent.</summary>
    internal delegate double EvalMethod(ResNet model, byte[] pixels, byte[] labels, int count, int batchSize, Action<int> imagesDone);

    internal static readonly IReadOnlyDictionary<string, EvalMethod> Methods = new Dictionary<string, EvalMethod>
    {
        // The model as trained: eval-mode BatchNorm with the training statistics, no adaptation.
        ["source"] = (model, pixels, labels, count, batch, done) => Evaluator.Accuracy(model, pixels, labels, count, batch, done),
    };

    public static Command Create()
    {
        var method = new Option<string>("--method") { Description = "Evaluation method: " + string.Join(", ", Methods.Keys) + ".", DefaultValueFactory = _ => "source" };
        method.AcceptOnlyFromAmong([.. Methods.Keys]);
        var model = new Option<string?>("--model") { Description = "Which model of the models directory: edge or foundation (single-model evaluation)." };
        var protocol = new Option<string?>("--protocol") { Description = "continual or per-domain: run adaptation methods online over the 15 corruptions (edge + foundation)." };
        protocol.AcceptOnlyFromAmong("continual", "per-domain");
        var methods = new Option<string>("--methods")
        {
            Description = "With --protocol: comma-separated methods among " + string.Join(",", Cema.Models.Adaptation.Methods.AdaptationMethods.Names) + ".",
            DefaultValueFactory = _ => string.Join(",", Cema.Models.Adaptation.Methods.AdaptationMethods.Names),
        };
        var severity = new Option<int>("--severity") { Description = "Corruption severity 1–5, or 0 for the clean test set.", Required = true };
        var limit = new Option<int?>("--limit") { Description = $"Evaluate the first N images (default: all 10,000; with --protocol, per corruption, default cema.eval.simulation.limit)." };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file." };
        var split = new Option<string>("--split")
        {
            Description = "test (the 15 test corruptions on the test set) or validation (the 4 validation corruptions on the 5,000 validation images, for choosing settings).",
            DefaultValueFactory = _ => "test",
        };
        split.AcceptOnlyFromAmong("test", "validation");
        var analyzeSelection = new Option<bool>("--analyze-selection")
        {
            Description = "With --protocol: instead of adapting, tally what CEMA's selector keeps and drops on the BN-adapted edge's logits against the teacher's (accuracy, disagreement, KL per rule).",
        };
        var models = new Option<string?>("--models") { Description = "Models directory with MODELS.json (default: cema.models.dir)." };
        var data = new Option<string?>("--data") { Description = "Fashion-MNIST directory (default: cema.data.fashion-mnist)." };
        var command = new Command("eval", "Accuracy of a model per corruption at one severity (table + JSON).")
        {
            method, model, protocol, methods, severity, limit, json, split, analyzeSelection, models, data,
        };
        command.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(protocol) is { } p)
                {
                    var names = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    return SimulationEval.Run(p, names, parse.GetValue(severity), parse.GetValue(limit), parse.GetValue(json), parse.GetValue(models), parse.GetValue(data),
                        parse.GetValue(split)!, parse.GetValue(analyzeSelection));
                }
                if (parse.GetValue(model) is null)
                {
                    Console.Error.WriteLine("cema eval: --model is required (or --protocol continual|per-domain to run adaptation methods)");
                    return 1;
                }
                return Run(parse.GetValue(method)!, parse.GetValue(model)!, parse.GetValue(severity), parse.GetValue(limit), parse.GetValue(json),
                    parse.GetValue(split)!, parse.GetValue(models), parse.GetValue(data));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine($"cema eval: {e.Message}");
                return 1;
            }
            catch (ConfigException e)
            {
                Console.Error.WriteLine($"cema eval: configuration error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static int Run(string methodName, string name, int severity, int? limit, string? jsonPath, string split, string? modelsDir, string? dataDir)
    {
        if (severity < 0 || severity > Corruption.MaxSeverity)
        {
            Console.Error.WriteLine($"cema eval: --severity {severity} is not 0 (clean) or {Corruption.MinSeverity}–{Corruption.MaxSeverity}");
            return 1;
        }
        var settings = CliSettings.Current;
        int threads = settings.ApplyThreads();
        string directory = CliSettings.ForDisplay(modelsDir is null ? settings.ModelsDirectory : Path.GetFullPath(modelsDir));
        Dataset images;
        try
        {
            string dir = dataDir ?? settings.DataDirectory;
            images = split == "test" ? FashionMnist.LoadTest(dir) : FashionMnist.LoadSplits(dir).Validation;
        }
        catch (DatasetFileException e)
        {
            Console.Error.WriteLine($"cema eval: {e.Message}");
            return 1;
        }
        int count = limit ?? images.Count;
        if (count < 1 || count > images.Count)
        {
            Console.Error.WriteLine($"cema eval: --limit {count} is outside 1–{images.Count}, the {split} images available");
            return 1;
        }

        ResNet net;
        ModelEntry entry;
        try
        {
            (net, entry) = ModelStore.Load(directory, name);
        }
        catch (ModelFileException e)
        {
            Console.Error.WriteLine($"cema eval: {e.Message}");
            return 1;
        }
        using var _ = net;
        ulong corruptionSeed = settings.CorruptionSeed;
        int batchSize = settings.EvalBatchSize;
        var corruptions = split == "test" ? Corruption.Test : Corruption.Validation;
        var domains = severity == 0 ? new[] { "clean" } : corruptions.Select(c => c.Name).ToArray();

        Console.WriteLine($"eval {methodName}: model {name} ({Path.Combine(directory, entry.File)}, sha256 ok), " +
            (severity == 0 ? "clean" : $"severity {severity}, {domains.Length} {split} corruptions") +
            $", {count} {split} images, corruption seed {corruptionSeed}, batch {batchSize}, threads {threads}");

        // Each domain's images are corrupted on all cores before the model runs on them, not
        // alongside: a worker thread competing with LibTorch's spinning OpenMP threads slows the
        // forward passes far more than the corruption work costs.
        byte[] Prepare(int d) => domains[d] == "clean"
            ? images.Pixels
            : Evaluator.Corrupt(images, Corruption.Get(domains[d]), severity, corruptionSeed, count, Environment.ProcessorCount);

        var method = Methods[methodName];
        var progress = ProgressLine.ForConsole(TimeSpan.FromSeconds(30));
        var results = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        long total = (long)domains.Length * count;
        for (int d = 0; d < domains.Length; d++)
        {
            byte[] pixels = Prepare(d);
            long before = (long)d * count;
            double accuracy = method(net, pixels, images.Labels, count, batchSize, done =>
            {
                double seconds = clock.Elapsed.TotalSeconds, rate = (before + done) / seconds;
                progress.Update($"eval {ProgressLine.Bar((before + done) / (double)total)} {d + 1}/{domains.Length} {domains[d]} {done}/{count} " +
                    $"{rate:F0} img/s ETA {ProgressLine.Duration(TimeSpan.FromSeconds((total - before - done) / rate))}");
            });
            results[domains[d]] = Math.Round(accuracy, 4);
            if (!progress.Interactive) progress.WriteLine($"  {d + 1,2}/{domains.Length} {domains[d],-18} {accuracy,6:F2}%");
        }
        double mean = Math.Round(results.Values.Average(), 4);
        progress.WriteLine("");
        Console.WriteLine($"{"corruption",-18} {"accuracy",8}");
        foreach (var (domain, accuracy) in results) Console.WriteLine($"{domain,-18} {accuracy,8:F2}");
        Console.WriteLine($"{"mean",-18} {mean,8:F2}");
        Console.WriteLine($"({clock.Elapsed.TotalSeconds:F1} s)");

        if (jsonPath is not null)
        {
            string full = Path.GetFullPath(jsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["model"] = name,
                ["method"] = methodName,
                ["severity"] = severity,
                ["split"] = split,
                ["images"] = count,
                ["corruption_seed"] = corruptionSeed,
                ["sha256"] = entry.Sha256,
                ["per_corruption"] = results,
                ["mean_accuracy"] = mean,
            }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"wrote {full}");
        }
        return 0;
    }
}
