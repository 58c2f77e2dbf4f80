using System.Diagnostics;
using Cema.Models.Adaptation;
using Cema.Models.Networks;
using Cema.Torch;
using Cema.Torch.Modules;
using Cema.Torch.Optim;

namespace Cema.Bench;

/// <summary>Settings of <c>cema bench cloud-step</c>; the defaults are the documented run of BENCHMARKS.md.</summary>
/// <param name="NewSamples">Fresh uploads per step (the official 32).</param>
/// <param name="Replayed">Replayed samples joining the edge step (the official 96).</param>
public sealed record CloudStepBenchmarkOptions(int Threads, int NewSamples = 32, int Replayed = 96, int Warmup = 5, int Repetitions = 30, long Seed = 0);

/// <summary>Milliseconds of one repetition of each phase, ours (test-time batch renormalization) and the peer's (standard training-mode BatchNorm).</summary>
public sealed record CloudStepPhases(double FoundationStep, double TeacherForward, double EdgeStep)
{
    public double Total => FoundationStep + TeacherForward + EdgeStep;
}

/// <summary>One repetition of both sides, run back to back.</summary>
public sealed record CloudStepPair(CloudStepPhases Ours, CloudStepPhases Peer)
{
    /// <summary>Peer time over our time: 1.0 means CEMA's step costs no more than the same work with PyTorch's fused BatchNorm.</summary>
    public double Ratio => Peer.Total / Ours.Total;
}

public sealed record CloudStepBenchmarkResult(CloudStepBenchmarkOptions Options, IReadOnlyList<CloudStepPair> Pairs)
{
    public double Ratio => Statistics.Median(Pairs.Select(p => p.Ratio).ToArray());

    public CloudStepPhases MedianOurs => Median(Pairs.Select(p => p.Ours).ToArray());

    public CloudStepPhases MedianPeer => Median(Pairs.Select(p => p.Peer).ToArray());

    private static CloudStepPhases Median(CloudStepPhases[] phases) => new(
        Statistics.Median(phases.Select(p => p.FoundationStep).ToArray()),
        Statistics.Median(phases.Select(p => p.TeacherForward).ToArray()),
        Statistics.Median(phases.Select(p => p.EdgeStep).ToArray()));
}

/// <summary>
/// Times CEMA's cloud step (<see cref="CemaCloudStep"/>'s three phases on the shipped network specs:
/// foundation entropy step on the new samples, teacher logits on new + replayed, edge replica
/// distillation step on new + replayed) against a peer doing the same forwards, losses, backwards and
/// SGD steps with the norm layers in PyTorch's standard training mode (LibTorch's fused batch norm,
/// batch statistics): the cost of the same step without test-time batch renormalization. Both sides
/// train only the norm layers' γ/β. Repetitions are paired and alternate which side goes first;
/// the ratio is the median of the paired ratios.
/// </summary>
public static class CloudStepBenchmark
{
    public static CloudStepBenchmarkResult Run(CloudStepBenchmarkOptions o, Action<string>? progress = null)
    {
        torch.set_num_threads(o.Threads);
        torch.manual_seed(o.Seed);
        using var ours = new Side(BatchNorm2d.NormalizationMode.TestTimeRenorm);
        using var peer = new Side(BatchNorm2d.NormalizationMode.Standard);
        using var fresh = torch.randn(o.NewSamples, 1, 28, 28);
        using var replayed = torch.randn(o.Replayed, 1, 28, 28);
        using var batch = torch.cat(new[] { fresh, replayed });

        for (int i = 0; i < o.Warmup; i++)
        {
            ours.Step(fresh, batch);
            peer.Step(fresh, batch);
        }
        var pairs = new List<CloudStepPair>(o.Repetitions);
        for (int r = 0; r < o.Repetitions; r++)
        {
            CloudStepPhases a, b;
            if (r % 2 == 0)
            {
                a = ours.Step(fresh, batch);
                b = peer.Step(fresh, batch);
            }
            else
            {
                b = peer.Step(fresh, batch);
                a = ours.Step(fresh, batch);
            }
            pairs.Add(new CloudStepPair(a, b));
            if ((r + 1) % 10 == 0) progress?.Invoke($"  {r + 1}/{o.Repetitions} pairs, median ratio so far {Statistics.Median(pairs.Select(p => p.Ratio).ToArray()):F3}");
        }
        return new CloudStepBenchmarkResult(o, pairs);
    }

    /// <summary>A foundation model and an edge replica with their optimizers, the norm layers in one mode.</summary>
    private sealed class Side : IDisposable
    {
        private static readonly CemaCloudSettings Settings = new(E0Fraction: 0.4, FoundationLearningRate: 2.5e-4, EdgeLearningRate: 2.5e-3,
            Momentum: 0.9, Alpha: 3, Beta: 3, Gamma: 1, Temperature: 1, Renormalization: true, ClassBalance: false);

        private readonly ResNet foundation = new(ResNetSpec.Foundation);
        private readonly ResNet edge = new(ResNetSpec.Edge);
        private readonly SGD foundationOptimizer;
        private readonly SGD edgeOptimizer;

        public Side(BatchNorm2d.NormalizationMode mode)
        {
            NormLayers.PrepareForAdaptation(foundation);
            NormLayers.PrepareForAdaptation(edge);
            foreach (var (_, layer) in NormLayers.Of(foundation).Concat(NormLayers.Of(edge))) layer.mode = mode;
            foundationOptimizer = torch.optim.SGD(NormLayers.AffineParameters(foundation), lr: Settings.FoundationLearningRate, momentum: Settings.Momentum);
            edgeOptimizer = torch.optim.SGD(NormLayers.AffineParameters(edge), lr: Settings.EdgeLearningRate, momentum: Settings.Momentum);
        }

        public CloudStepPhases Step(Tensor fresh, Tensor batch)
        {
            using var scope = torch.NewDisposeScope();
            long t0 = Stopwatch.GetTimestamp();
            foundation.train();
            foundationOptimizer.zero_grad();
            var loss = Losses.WeightedEntropy(foundation.call(fresh), Entropy.Margin(10, Settings.E0Fraction));
            loss.backward();
            foundationOptimizer.step();
            loss.item<double>();
            long t1 = Stopwatch.GetTimestamp();

            foundation.eval();
            Tensor teacher;
            using (torch.no_grad()) teacher = foundation.call(batch);
            teacher.sum().item<float>();
            long t2 = Stopwatch.GetTimestamp();

            edge.train();
            edgeOptimizer.zero_grad();
            var losses = Losses.Distillation(edge.call(batch), teacher, Settings);
            losses.Total.backward();
            edgeOptimizer.step();
            losses.Total.item<double>();
            long t3 = Stopwatch.GetTimestamp();
            return new CloudStepPhases(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3));
        }

        private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

        public void Dispose()
        {
            foundationOptimizer.Dispose();
            edgeOptimizer.Dispose();
            foundation.Dispose();
            edge.Dispose();
        }
    }
}
