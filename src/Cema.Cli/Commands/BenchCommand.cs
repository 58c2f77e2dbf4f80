using System.CommandLine;
using System.Text.Json;
using Cema.Bench;

namespace Cema.Cli.Commands;

/// <summary><c>cema bench binding</c>: Cema.Torch in C# against the same network in C++ on LibTorch.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks; each measures us against a peer in the same run (figures go to BENCHMARKS.md).");
        bench.Subcommands.Add(CreateBinding());
        return bench;
    }

    private static Command CreateBinding()
    {
        var threads = new Option<int>("--threads") { Description = "LibTorch threads on both sides (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var rounds = new Option<int>("--rounds") { Description = "alternating C++/C# rounds", DefaultValueFactory = _ => 3 };
        var reps = new Option<int>("--reps") { Description = "timed repetitions per side and round", DefaultValueFactory = _ => 15 };
        var iters = new Option<int>("--iters") { Description = "iterations per repetition", DefaultValueFactory = _ => 10 };
        var json = new Option<string>("--json") { Description = "where to write the result", DefaultValueFactory = _ => "out/bench/binding.json" };
        var command = new Command("binding", "Small ResNet (3 stages, BatchNorm, 28×28×1, batch 64): forward and one SGD step, C# (Cema.Torch) vs C++ (LibTorch).")
        {
            threads, rounds, reps, iters, json,
        };
        command.SetAction(parse =>
        {
            var options = new BindingBenchmarkOptions(parse.GetValue(threads), Rounds: parse.GetValue(rounds), Repetitions: parse.GetValue(reps), Iterations: parse.GetValue(iters));
            Console.WriteLine($"bench binding: threads={options.Threads} batch={options.Batch} warmup={options.Warmup} reps={options.Repetitions} iters={options.Iterations} rounds={options.Rounds} seed={options.Seed}");
            var result = BindingBenchmark.Run(options, Console.WriteLine);
            var all = (Func<BindingRound, BindingTimings> side, Func<BindingTimings, double[]> pick) => result.Rounds.SelectMany(r => pick(side(r))).ToArray();
            Console.WriteLine($"forward median  C# {Statistics.Median(all(r => r.CSharp, t => t.ForwardMs)):F3} ms  C++ {Statistics.Median(all(r => r.Cpp, t => t.ForwardMs)):F3} ms");
            Console.WriteLine($"train   median  C# {Statistics.Median(all(r => r.CSharp, t => t.TrainMs)):F3} ms  C++ {Statistics.Median(all(r => r.Cpp, t => t.TrainMs)):F3} ms");
            string path = parse.GetValue(json)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, JsonSerializer.Serialize(new
            {
                options = result.Options,
                rounds = result.Rounds.Select(r => new { r.Round, r.ForwardRatio, r.TrainRatio, csharp = r.CSharp, cpp = r.Cpp }),
                forward_ratio = result.ForwardRatio,
                train_ratio = result.TrainRatio,
            }, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {path}");
            Console.WriteLine($"binding ratio forward={result.ForwardRatio:F3} train={result.TrainRatio:F3}");
            return 0;
        });
        return command;
    }
}
