using System.Diagnostics;
using System.Text;
using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Bench;

/// <summary>Settings of the simulator profile. The defaults: one corruption, 2,000 images, edge batch 64, every method.</summary>
/// <param name="Threads">LibTorch intra-op threads.</param>
/// <param name="Segment">The corruption streamed.</param>
/// <param name="Limit">Images in the stream.</param>
/// <param name="RandomUploadRate">Rate for the random method, standing in for CEMA's (a random-weight network's CEMA rate says nothing about a trained one's).</param>
/// <param name="StepRepetitions">Repetitions of each isolated cloud-step timing.</param>
public sealed record SimulatorProfileOptions(
    int Threads,
    string Segment = "gaussian_noise:5",
    int Limit = 2000,
    int BatchSize = SimulationSettings.DefaultEdgeBatchSize,
    double RandomUploadRate = 0.25,
    int StepRepetitions = 10,
    long Seed = 0);

/// <summary>
/// How fast <see cref="OnlineSimulator"/> runs the benchmark's real networks (<see cref="ResNetSpec.Edge"/>,
/// <see cref="ResNetSpec.Foundation"/>, random weights: speed does not depend on the weights, only the
/// upload rate does, which is why random runs at a given rate): every method over one corruption, then
/// each part of a cloud step timed alone, so a slow step can be traced to its part.
/// </summary>
public static class SimulatorProfile
{
    public static string Run(SimulatorProfileOptions o, Action<string>? progress = null)
    {
        torch.set_num_threads(o.Threads);
        torch.manual_seed(o.Seed);
        var report = new StringBuilder();
        void Say(string line)
        {
            report.Append(line).Append('\n');
            progress?.Invoke(line);
        }

        using var edge = new ResNet(ResNetSpec.Edge);
        using var foundation = new ResNet(ResNetSpec.Foundation);
        using var models = SimulationModels.FromResNets(edge, foundation);
        var stream = new ShiftStream(FashionMnist.LoadTest(), new[] { ShiftSegment.Parse(o.Segment) }, ShiftMode.PerDomain, o.BatchSize, seed: 0, o.Limit);
        var corrupt = Stopwatch.StartNew();
        foreach (var _ in stream) { }   // computes and caches the corrupted images, so the runs below time the simulation alone
        Say($"simulator profile: {o.Limit} images of {o.Segment}, edge batch {o.BatchSize}, {o.Threads} LibTorch threads, " +
            $"edge {ResNetSpec.Edge.MacsPerImage() / 1e6:0.00} MMAC/image, foundation {ResNetSpec.Foundation.MacsPerImage() / 1e6:0.00} MMAC/image");
        Say($"corrupting the stream: {corrupt.Elapsed.TotalSeconds:0.00} s (once per stream, shared by every method)");
        Say($"{"method",-11} {"samples/s",9} {"uploads",8} {"steps",6} {"replay-only",11} {"step ms",8} {"edge s",7} {"cloud s",8} {"total s",8}");

        var simulator = new OnlineSimulator(models);
        double totalSeconds = 0;
        foreach (string name in AdaptationMethods.Names)
        {
            var r = simulator.RunMethod(name, stream, name == AdaptationMethods.Random ? o.RandomUploadRate : null);
            totalSeconds += r.Timing.Elapsed.TotalSeconds;
            Say($"{name,-11} {r.SamplesPerSecond,9:0} {r.Uploads,8} {r.CloudSteps,6} {r.ReplayOnlySteps,11} {r.CloudStepMilliseconds,8:0.0} " +
                $"{r.Timing.Edge.TotalSeconds,7:0.00} {r.Timing.Cloud.TotalSeconds,8:0.00} {r.Timing.Elapsed.TotalSeconds,8:0.00}");
        }
        Say($"all {AdaptationMethods.Names.Count} methods over {o.Limit} images: {totalSeconds:0.0} s; " +
            $"× 15 corruptions ≈ {totalSeconds * 15 / 60:0.0} min (plus corrupting 15 × {o.Limit} images once)");

        Say("");
        Say($"cloud step parts, median of {o.StepRepetitions} (ms):");
        foreach (var (part, ms) in StepParts(models, stream, o.StepRepetitions)) Say($"  {part,-52} {ms,8:0.0}");
        return report.ToString();
    }

    /// <summary>Each part of CEMA's cloud step, timed alone on real stream images.</summary>
    private static IEnumerable<(string part, double ms)> StepParts(SimulationModels models, ShiftStream stream, int repetitions)
    {
        var batch = stream.First();
        byte[] pixels = new byte[128 * Dataset.PixelsPerImage];
        for (int i = 0; i < 128; i++) batch.Pixels.AsSpan((i % batch.Count) * Dataset.PixelsPerImage, Dataset.PixelsPerImage).CopyTo(pixels.AsSpan(i * Dataset.PixelsPerImage));
        var settings = CemaCloudSettings.Default;

        using var foundation = models.NewFoundation();
        using var replica = models.NewEdge();
        using var device = models.NewEdge();
        using var step = new CemaCloudStep(foundation, replica, settings);
        using var images128 = ImageTensors.ToTensor(pixels, 128);
        using var images32 = images128.narrow(0, 0, 32);
        using var images96 = images128.narrow(0, 32, 96);
        using var images64 = images128.narrow(0, 0, 64);
        using var foundationOptimizer = torch.optim.SGD(NormLayers.AffineParameters(foundation), lr: 0, momentum: 0.9);
        using var edgeOptimizer = torch.optim.SGD(NormLayers.AffineParameters(replica), lr: 0, momentum: 0.9);
        step.Step(images32, images96);   // first batch: running statistics, allocator warm-up

        yield return ("whole step: foundation 32 + distill 32+96", Median(repetitions, () => step.Step(images32, images96)));
        yield return ("whole replay-only step: distill 128", Median(repetitions, () => step.ReplayOnlyStep(images128)));
        yield return ("  foundation forward+backward+SGD, 32 (train)", Median(repetitions, () =>
        {
            foundation.train();
            foundationOptimizer.zero_grad();
            Losses.WeightedEntropy(foundation.call(images32), Entropy.Margin(10, settings.E0Fraction)).backward();
            foundationOptimizer.step();
        }));
        yield return ("  foundation teacher forward, 128 (eval, no grad)", Median(repetitions, () =>
        {
            foundation.eval();
            using var noGrad = torch.no_grad();
            foundation.call(images128);
        }));
        Tensor? teacher = null;
        using (torch.no_grad()) teacher = foundation.call(images128).DetachFromDisposeScope();
        using (teacher)
        {
            yield return ("  edge replica forward+backward+SGD, 128 (train)", Median(repetitions, () =>
            {
                replica.train();
                edgeOptimizer.zero_grad();
                Losses.Distillation(replica.call(images128), teacher, settings).Total.backward();
                edgeOptimizer.step();
            }));
            yield return ("    of which edge replica forward, 128 (train)", Median(repetitions, () =>
            {
                replica.train();
                replica.call(images128);
            }));
        }
        yield return ("edge forward, 64 (eval, no grad)", Median(repetitions, () => EdgeInference.Predict(device, images64)));
        yield return ("uint8 → tensor, 128 images", Median(repetitions, () => ImageTensors.ToTensor(pixels, 128)));
        var initial = NormParams.From(device, 0);
        yield return ("snapshot + fp16-delta encode + decode + apply", Median(repetitions, () =>
        {
            var p = NormParams.From(replica, 1);
            var bytes = p.Encode(NormParamsEncoding.Fp16Delta, initial);
            NormParams.Decode(bytes, initial.Layout, initial).ApplyTo(device);
        }));
    }

    private static double Median(int repetitions, Action action)
    {
        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            using var scope = torch.NewDisposeScope();
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Statistics.Median(times);
    }
}
