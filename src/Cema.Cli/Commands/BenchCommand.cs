using System.CommandLine;
using System.Text.Json;
using Cema.Actors.Configuration;
using Cema.Bench;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema bench binding</c>: Cema.Torch in C# against the same network in C++ on LibTorch.
/// <c>cema bench cloud-step</c>: CEMA's cloud step against the same step with standard BatchNorm.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks; each measures us against a peer in the same run (figures go to BENCHMARKS.md).");
        bench.Subcommands.Add(CreateBinding());
        bench.Subcommands.Add(CreateCluster());
        bench.Subcommands.Add(CreateCloudStep());
        return bench;
    }

    private static Command CreateCluster()
    {
        var distillers = new Option<int>("--distillers") { Description = "distillers per process", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "LibTorch threads per process (0: one per core)", DefaultValueFactory = _ => 0 };
        var jobs = new Option<int>("--jobs") { Description = "timed steps per phase", DefaultValueFactory = _ => 40 };
        var json = new Option<string>("--json") { Description = "where to write the result", DefaultValueFactory = _ => "out/bench/cluster.json" };
        var command = new Command("cluster", "Distill steps/s of one `cema cloud --role distiller` process against two on the same queue, alternating (private broker).")
        {
            distillers, threads, jobs, json,
        };
        command.SetAction(parse =>
        {
            var settings = CliSettings.Current;
            string foundation = settings.Config.GetString("cema.cluster.foundation-model");
            var options = new ClusterBenchmarkOptions(parse.GetValue(distillers), parse.GetValue(threads), parse.GetValue(jobs), FoundationModel: foundation);
            Console.WriteLine($"bench cluster: {options.Distillers} distiller(s) per process, torch threads {options.Threads} (0: one per core), {options.Jobs} timed steps per phase, " +
                $"teacher {foundation}, steps of 32 new + 96 replayed shot_noise:5 images");
            var result = ClusterBenchmark.RunAsync(options, Cema.Models.Adaptation.CemaCloudSettings.FromConfig(settings.Config), Environment.GetCommandLineArgs()[0], settings.DataDirectory, Console.WriteLine).GetAwaiter().GetResult();
            string path = settings.FromRoot(parse.GetValue(json)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {path}");
            Console.WriteLine($"cluster ratio two/one processes = {result.Ratio:F3} ({result.TwoProcessStepsPerSecond:0.000} vs {result.OneProcessStepsPerSecond:0.000} steps/s over both phases of each)");
            return 0;
        });
        return command;
    }

    private static Command CreateBinding()
    {
        var defaults = new BindingBenchmarkOptions(Threads: Cema.Torch.torch.get_num_threads());
        var threads = new Option<int>("--threads") { Description = "LibTorch threads on both sides (default: cema.torch.threads)", DefaultValueFactory = _ => defaults.Threads };
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => defaults.Batch };
        var reps = new Option<int>("--reps") { Description = "paired repetitions (one C#, one C++) per measurement", DefaultValueFactory = _ => defaults.Repetitions };
        var iters = new Option<int>("--iters") { Description = "iterations per repetition", DefaultValueFactory = _ => defaults.Iterations };
        var json = new Option<string>("--json") { Description = "where to write the result", DefaultValueFactory = _ => "out/bench/binding.json" };
        var command = new Command("binding", "Small ResNet (3 stages, BatchNorm, 28×28×1, batch 64): forward and one SGD step, C# (Cema.Torch) vs C++ (LibTorch).")
        {
            threads, batch, reps, iters, json,
        };
        command.SetAction(parse =>
        {
            var options = defaults with { Threads = parse.GetValue(threads), Batch = parse.GetValue(batch), Repetitions = parse.GetValue(reps), Iterations = parse.GetValue(iters) };
            Console.WriteLine($"bench binding: threads={options.Threads} batch={options.Batch} warmup={options.Warmup} reps={options.Repetitions} iters={options.Iterations} seed={options.Seed}");
            var result = BindingBenchmark.Run(options, Console.WriteLine);
            static string Medians(IReadOnlyList<BindingPair> pairs) =>
                $"C# {Statistics.Median(pairs.Select(p => p.CSharpMs).ToArray()):F3} ms  C++ {Statistics.Median(pairs.Select(p => p.CppMs).ToArray()):F3} ms";
            Console.WriteLine($"forward median  {Medians(result.Forward)}");
            Console.WriteLine($"train   median  {Medians(result.Train)}");
            string path = parse.GetValue(json)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, JsonSerializer.Serialize(new
            {
                options = result.Options,
                forward_ratio = result.ForwardRatio,
                train_ratio = result.TrainRatio,
                forward = result.Forward,
                train = result.Train,
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {path}");
            Console.WriteLine($"binding ratio forward={result.ForwardRatio:F3} train={result.TrainRatio:F3}");
            return 0;
        });
        return command;
    }

    private static Command CreateCloudStep()
    {
        var defaults = new CloudStepBenchmarkOptions(Threads: Cema.Torch.torch.get_num_threads());
        var threads = new Option<int>("--threads") { Description = "LibTorch threads (default: cema.torch.threads)", DefaultValueFactory = _ => defaults.Threads };
        var reps = new Option<int>("--reps") { Description = "paired repetitions (one step of each side)", DefaultValueFactory = _ => defaults.Repetitions };
        var json = new Option<string>("--json") { Description = "where to write the result", DefaultValueFactory = _ => "out/bench/cloud-step.json" };
        var command = new Command("cloud-step", "CEMA's cloud step (foundation step on 32, teacher on 128, edge distillation step on 128) with test-time batch renormalization vs standard BatchNorm.")
        {
            threads, reps, json,
        };
        command.SetAction(parse =>
        {
            var options = defaults with { Threads = parse.GetValue(threads), Repetitions = parse.GetValue(reps) };
            Console.WriteLine($"bench cloud-step: threads={options.Threads} new={options.NewSamples} replayed={options.Replayed} warmup={options.Warmup} reps={options.Repetitions} seed={options.Seed}");
            var result = CloudStepBenchmark.Run(options, Console.WriteLine);
            static string Phases(CloudStepPhases p) => $"foundation step {p.FoundationStep:F1}  teacher {p.TeacherForward:F1}  edge step {p.EdgeStep:F1}  total {p.Total:F1} ms";
            Console.WriteLine($"ours (TBR)      median  {Phases(result.MedianOurs)}");
            Console.WriteLine($"peer (standard) median  {Phases(result.MedianPeer)}");
            string path = parse.GetValue(json)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, JsonSerializer.Serialize(new { options = result.Options, ratio = result.Ratio, pairs = result.Pairs },
                new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {path}");
            Console.WriteLine($"cloud-step ratio (standard / TBR) = {result.Ratio:F3}");
            return 0;
        });
        return command;
    }
}
