using System.Diagnostics;
using System.Text.Json;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Bench;

/// <summary>Settings of <c>cema bench binding</c>; the defaults are the documented run of BENCHMARKS.md.</summary>
public sealed record BindingBenchmarkOptions(int Threads, int Batch = 64, int Warmup = 10, int Repetitions = 15, int Iterations = 10, int Rounds = 3, long Seed = 0);

/// <summary>Per-iteration milliseconds of one side (C# or C++) in one round.</summary>
public sealed record BindingTimings(double[] ForwardMs, double[] TrainMs)
{
    public double ForwardMedianMs => Statistics.Median(ForwardMs);
    public double TrainMedianMs => Statistics.Median(TrainMs);
}

public sealed record BindingRound(int Round, BindingTimings CSharp, BindingTimings Cpp)
{
    /// <summary>C# throughput over C++ throughput (= C++ time / C# time): 1.0 means no binding overhead.</summary>
    public double ForwardRatio => Cpp.ForwardMedianMs / CSharp.ForwardMedianMs;

    public double TrainRatio => Cpp.TrainMedianMs / CSharp.TrainMedianMs;
}

public sealed record BindingBenchmarkResult(BindingBenchmarkOptions Options, IReadOnlyList<BindingRound> Rounds)
{
    public double ForwardRatio => Statistics.Median(Rounds.Select(r => r.ForwardRatio).ToArray());
    public double TrainRatio => Statistics.Median(Rounds.Select(r => r.TrainRatio).ToArray());
}

/// <summary>
/// Times the same small ResNet (ResNetSpec.BindingBench: 3 stages, BatchNorm, 28×28×1, batch 64)
/// written with Cema.Torch in C# and directly in C++ against LibTorch (native/bench/binding_bench.cpp):
/// inference forward (eval, no grad) and one SGD train step. Rounds alternate C++ and C# so slow
/// drift of the machine affects both sides alike.
/// </summary>
public static class BindingBenchmark
{
    public static BindingBenchmarkResult Run(BindingBenchmarkOptions options, Action<string>? progress = null)
    {
        var rounds = new List<BindingRound>();
        for (int round = 1; round <= options.Rounds; round++)
        {
            progress?.Invoke($"round {round}/{options.Rounds}: C++ …");
            var cpp = RunCpp(options);
            progress?.Invoke($"round {round}/{options.Rounds}: C# …");
            var cs = RunCSharp(options);
            rounds.Add(new BindingRound(round, cs, cpp));
            progress?.Invoke($"round {round}/{options.Rounds}: forward C# {cs.ForwardMedianMs:F2} ms, C++ {cpp.ForwardMedianMs:F2} ms; train C# {cs.TrainMedianMs:F2} ms, C++ {cpp.TrainMedianMs:F2} ms");
        }
        return new BindingBenchmarkResult(options, rounds);
    }

    public static BindingTimings RunCSharp(BindingBenchmarkOptions o)
    {
        torch.set_num_threads(o.Threads);
        torch.manual_seed(o.Seed);
        using var net = new ResNet(ResNetSpec.BindingBench);
        using var x = torch.randn(o.Batch, 1, 28, 28);
        using var y = torch.randint(0, 10, new long[] { o.Batch });
        using var optimizer = torch.optim.SGD(net.parameters(), lr: 0.01, momentum: 0.9);

        void Forward()
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            net.eval();
            net.call(x);
        }

        void TrainStep()
        {
            using var scope = torch.NewDisposeScope();
            net.train();
            optimizer.zero_grad();
            var loss = torch.nn.functional.cross_entropy(net.call(x), y);
            loss.backward();
            optimizer.step();
        }

        return new BindingTimings(Time(Forward, o), Time(TrainStep, o));
    }

    private static double[] Time(Action step, BindingBenchmarkOptions o)
    {
        for (int i = 0; i < o.Warmup; i++) step();
        var perIteration = new double[o.Repetitions];
        for (int r = 0; r < o.Repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < o.Iterations; i++) step();
            perIteration[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / o.Iterations;
        }
        return perIteration;
    }

    public static BindingTimings RunCpp(BindingBenchmarkOptions o)
    {
        var psi = new ProcessStartInfo(RepoPaths.NativeBenchmark("binding_bench")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in new (string, long)[] { ("--threads", o.Threads), ("--batch", o.Batch), ("--warmup", o.Warmup), ("--reps", o.Repetitions), ("--iters", o.Iterations), ("--seed", o.Seed) })
        {
            psi.ArgumentList.Add(k);
            psi.ArgumentList.Add(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"binding_bench exited with {p.ExitCode}: {stderr.Result}");
        using var doc = JsonDocument.Parse(stdout);
        double[] Read(string name) => doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new BindingTimings(Read("forward_ms"), Read("train_ms"));
    }
}
