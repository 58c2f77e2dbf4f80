using System.Diagnostics;
using System.Runtime.InteropServices;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Bench;

/// <summary>Settings of <c>cema bench binding</c>; the defaults are the documented run of BENCHMARKS.md.</summary>
public sealed record BindingBenchmarkOptions(int Threads, int Batch = 64, int Warmup = 30, int Repetitions = 100, int Iterations = 3, long Seed = 0);

/// <summary>One repetition of each side, run back to back: milliseconds per iteration.</summary>
public sealed record BindingPair(double CSharpMs, double CppMs)
{
    /// <summary>C# throughput over C++ throughput (= C++ time / C# time): 1.0 means no binding overhead.</summary>
    public double Ratio => CppMs / CSharpMs;
}

public sealed record BindingBenchmarkResult(BindingBenchmarkOptions Options, IReadOnlyList<BindingPair> Forward, IReadOnlyList<BindingPair> Train)
{
    public double ForwardRatio => Statistics.Median(Forward.Select(p => p.Ratio).ToArray());
    public double TrainRatio => Statistics.Median(Train.Select(p => p.Ratio).ToArray());
}

/// <summary>
/// Times the same small ResNet (ResNetSpec.BindingBench: 3 stages, BatchNorm, 28×28×1, batch 64)
/// written with Cema.Torch in C# and directly in C++ against LibTorch (native/bench/binding_bench.cpp):
/// inference forward (eval, no grad) and one SGD train step. Both sides run in this process on this
/// thread; every C# repetition is paired with a C++ repetition run right next to it (alternating
/// which goes first), and the ratio is the median of the paired ratios, which keeps the drift of a
/// shared machine out of the comparison.
/// </summary>
public static class BindingBenchmark
{
    public static BindingBenchmarkResult Run(BindingBenchmarkOptions o, Action<string>? progress = null)
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

        using var peer = new CppPeer(o);
        progress?.Invoke("forward (eval, no grad) …");
        var forward = Pairs(Forward, "forward", peer, o, progress);
        progress?.Invoke("train step (forward, cross entropy, backward, SGD) …");
        var train = Pairs(TrainStep, "train", peer, o, progress);
        return new BindingBenchmarkResult(o, forward, train);
    }

    private static List<BindingPair> Pairs(Action step, string kind, CppPeer peer, BindingBenchmarkOptions o, Action<string>? progress)
    {
        for (int i = 0; i < o.Warmup; i++) step();
        peer.Time(kind, o.Warmup);
        // Pairs alternate which side goes first, so any remaining order effect cancels in the median.
        var pairs = new List<BindingPair>(o.Repetitions);
        for (int r = 0; r < o.Repetitions; r++)
        {
            double cpp, cs;
            if (r % 2 == 0)
            {
                cpp = peer.Time(kind, o.Iterations);
                cs = Time(step, o.Iterations);
            }
            else
            {
                cs = Time(step, o.Iterations);
                cpp = peer.Time(kind, o.Iterations);
            }
            pairs.Add(new BindingPair(cs, cpp));
            if ((r + 1) % 10 == 0) progress?.Invoke($"  {kind}: {r + 1}/{o.Repetitions} pairs, median ratio so far {Statistics.Median(pairs.Select(p => p.Ratio).ToArray()):F3}");
        }
        return pairs;
    }

    private static double Time(Action step, int iterations)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++) step();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / iterations;
    }

    /// <summary>
    /// The C++ peer (native/bench/binding_bench.cpp built as libbinding_bench.so), loaded into this
    /// process: it shares the allocator and LibTorch's OpenMP pool with the C# side and runs on the
    /// same thread, so the two differ only in the API that drives LibTorch.
    /// </summary>
    private sealed unsafe class CppPeer : IDisposable
    {
        private readonly IntPtr library;
        private readonly delegate* unmanaged<IntPtr, int, int, double> time;
        private readonly delegate* unmanaged<IntPtr, void> free;
        private IntPtr bench;

        public CppPeer(BindingBenchmarkOptions o)
        {
            library = NativeLibrary.Load(RepoPaths.NativeBenchmark("libbinding_bench.so"));
            var create = (delegate* unmanaged<int, int, long, IntPtr>)NativeLibrary.GetExport(library, "binding_bench_new");
            time = (delegate* unmanaged<IntPtr, int, int, double>)NativeLibrary.GetExport(library, "binding_bench_time");
            free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "binding_bench_free");
            bench = create(o.Threads, o.Batch, o.Seed);
            if (bench == IntPtr.Zero) throw new InvalidOperationException("the C++ peer failed to build its network");
        }

        public double Time(string kind, int iterations)
        {
            double ms = time(bench, kind == "forward" ? 1 : 0, iterations);
            if (ms < 0) throw new InvalidOperationException($"the C++ peer failed during {kind}");
            return ms;
        }

        public void Dispose()
        {
            if (bench != IntPtr.Zero) free(bench);
            bench = IntPtr.Zero;
        }
    }
}
