using System.Collections.Concurrent;
using System.Diagnostics;
using Cema.Actors.Cluster;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Distiller;
using Cema.Host.Cloud;
using Cema.Models.Adaptation;
using Cema.Models.Data;

namespace Cema.Bench;

/// <param name="Distillers">Distillers per process (--distillers of each `cema cloud --role distiller`).</param>
/// <param name="Threads">LibTorch threads per process (cema.torch.threads).</param>
/// <param name="Jobs">Timed jobs per phase.</param>
/// <param name="Warmup">Untimed jobs first in each phase (model load, first LibTorch calls).</param>
/// <param name="FoundationModel">Models-directory name of the teacher.</param>
public sealed record ClusterBenchmarkOptions(int Distillers = 1, int Threads = 0, int Jobs = 40, int Warmup = 4, string FoundationModel = "foundation", ulong Seed = 0);

/// <summary>Steps per second of one phase and which process ran how many of its jobs.</summary>
public sealed record ClusterPhase(string Name, int Processes, int Jobs, double Seconds, double StepsPerSecond, IReadOnlyDictionary<string, int> JobsByProcess);

/// <summary>The four phases in the order run (one, two, one, two processes) and the ratio of the two-process phases' steps/s to the one-process phases'.</summary>
public sealed record ClusterBenchmarkResult(ClusterBenchmarkOptions Options, IReadOnlyList<ClusterPhase> Phases, double OneProcessStepsPerSecond, double TwoProcessStepsPerSecond, double Ratio);

/// <summary>
/// Does a second distiller process raise the pool's steps per second? A private broker, real
/// <c>cema cloud --role distiller</c> processes, and full CEMA steps (32 new + 96 replayed Fashion-MNIST-C
/// images, the shipped networks) put on the distill-jobs queue by the benchmark, which times the results.
/// Phases alternate one process, two processes, one, two (the second process leaves with SIGTERM and a new
/// one joins), so a change in the machine's load during the run weighs on both sides alike. Same jobs, same run.
/// </summary>
public static class ClusterBenchmark
{
    public static async Task<ClusterBenchmarkResult> RunAsync(ClusterBenchmarkOptions options, CemaCloudSettings step, string cemaDll, string dataDirectory, Action<string> say)
    {
        await using var broker = await LoopbackBroker.StartAsync(log: Console.Out);
        var codec = new WireCodec(WireLimits.Default);
        var rabbit = new RabbitMqSettings(broker.Uri, "bench.params", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), "cema bench");
        await using var transport = await RabbitMqTransport.ConnectAsync(rabbit, codec);
        var topology = new ClusterTopology("bench");
        await topology.DeclareSharedAsync(transport);
        const string results = "bench.results";
        await transport.DeclareAsync(QueueSpec.Work(results));

        var done = new ConcurrentQueue<(long JobId, string Distiller, long Ticks)>();
        await using var consumer = await transport.ConsumeAsync(results, 16, (d, _) =>
        {
            done.Enqueue((d.Message.DistillResult.JobId, d.Message.DistillResult.Distiller, Stopwatch.GetTimestamp()));
            return Task.CompletedTask;
        });

        var test = FashionMnist.LoadTest(dataDirectory);
        var images = new ShiftStream(test, [new ShiftSegment("shot_noise", 5)], ShiftMode.Continual, 128, options.Seed, 128 * 4).ToArray();
        long nextJob = 0;
        var processes = new List<Process>();
        try
        {
            processes.Add(StartDistiller(cemaDll, broker.Uri, "b1", options, say));
            var phases = new List<ClusterPhase> { await PhaseAsync("one distiller process", ["b1"]) };
            processes.Add(StartDistiller(cemaDll, broker.Uri, "b2", options, say));
            phases.Add(await PhaseAsync("two distiller processes", ["b1", "b2"]));
            await StopAsync(processes[^1]);
            say("b2 left");
            phases.Add(await PhaseAsync("one distiller process again", ["b1"]));
            processes.Add(StartDistiller(cemaDll, broker.Uri, "b3", options, say));
            phases.Add(await PhaseAsync("two distiller processes again", ["b1", "b3"]));
            double Rate(int processes) => phases.Where(p => p.Processes == processes).Sum(p => p.Jobs) / phases.Where(p => p.Processes == processes).Sum(p => p.Seconds);
            return new ClusterBenchmarkResult(options, phases, Rate(1), Rate(2), Rate(2) / Rate(1));
        }
        finally
        {
            foreach (var p in processes) await StopAsync(p);
        }

        async Task<ClusterPhase> PhaseAsync(string name, string[] nodes)
        {
            int count = nodes.Length;
            // Warm-up jobs until every process of the phase has run one (each loads its models on its first job).
            var seen = new HashSet<string>();
            while (!nodes.All(seen.Contains))
            {
                int before = done.Count;
                int warm = Math.Max(options.Warmup, count * options.Distillers);
                for (int i = 0; i < warm; i++) await SendJob();
                await Until(() => done.Count >= before + warm, TimeSpan.FromMinutes(10));
                foreach (var d in done.Skip(before)) seen.Add(d.Distiller);
            }
            int start = done.Count;
            long t0 = Stopwatch.GetTimestamp();
            long firstJob = nextJob + 1;
            for (int i = 0; i < options.Jobs; i++) await SendJob();
            await Until(() => done.Count >= start + options.Jobs, TimeSpan.FromMinutes(30));
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var timed = done.Where(d => d.JobId >= firstJob).ToArray();
            var byProcess = timed.GroupBy(d => d.Distiller).ToDictionary(g => g.Key, g => g.Count());
            var phase = new ClusterPhase(name, count, options.Jobs, seconds, options.Jobs / seconds, byProcess);
            say($"{name}: {options.Jobs} steps in {seconds:0.0} s = {phase.StepsPerSecond:0.000} steps/s; jobs by process: " +
                string.Join(", ", byProcess.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
            return phase;
        }

        async Task SendJob()
        {
            long id = ++nextJob;
            var batch = images[(int)(id % images.Length)];
            var job = new DistillJob("bench", 0, id, batch.Pixels[..(32 * Dataset.PixelsPerImage)], 32,
                batch.Pixels[(32 * Dataset.PixelsPerImage)..], batch.Count - 32, null, null, step);
            await transport.SendAsync(topology.DistillJobs, WireCodec.Wrap("bench", e => e.DistillJob = WireMessages.ToWire(job, results)));
        }
    }

    private static Process StartDistiller(string cemaDll, Uri broker, string node, ClusterBenchmarkOptions options, Action<string> say)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cemaDll, "cloud", "--role", "distiller", "--distillers", options.Distillers.ToString(), "--node", node, "--broker", broker.ToString(),
                     "--set", "cema.cluster.name=bench", "--set", $"cema.cluster.foundation-model={options.FoundationModel}", "--set", $"cema.torch.threads={options.Threads}" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + cemaDll);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains(" error ")) say($"{node}: {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        say($"started distiller process {node} (pid {process.Id}, {options.Distillers} distiller(s), torch threads {(options.Threads == 0 ? "one per core" : options.Threads)})");
        return process;
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        _ = kill(process.Id, 15);
        await process.WaitForExitAsync();
    }

    private static async Task Until(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the distiller processes did not deliver the results in time");
            await Task.Delay(50);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int kill(int pid, int signal);
}
