using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Models.Networks;
using Cema.Models.Tests.Adaptation;

namespace Cema.Models.Tests.Evaluation;

/// <summary>
/// A simulation small enough for unit tests: tiny random-initialized ResNets, 64 synthetic images per
/// segment, two segments, edge batches of 16 (4 per segment), and replay thresholds lowered so the
/// replay and replay-only paths run within 128 samples.
/// </summary>
internal static class TinySimulation
{
    public const int Limit = 64;
    public const int BatchSize = 16;
    public const ulong StreamSeed = 5;

    /// <summary>Random pixels with labels 0–9 in turn, drawn from a fixed seed.</summary>
    public static readonly Lazy<Dataset> Images = new(() =>
    {
        var random = new SeededRandom(42);
        var pixels = new byte[Limit * Dataset.PixelsPerImage];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)random.NextInt(256);
        var labels = Enumerable.Range(0, Limit).Select(i => (byte)(i % 10)).ToArray();
        return new Dataset(pixels, labels, FashionMnist.ClassNames);
    });

    public static readonly IReadOnlyList<ShiftSegment> Segments = new[] { new ShiftSegment("brightness", 5), new ShiftSegment("contrast", 5) };

    public static ShiftStream Stream(ShiftMode mode = ShiftMode.PerDomain, int batchSize = BatchSize) =>
        new(Images.Value, Segments, mode, batchSize, StreamSeed, Limit);

    /// <summary>Replay from 32 buffered samples on, 16 replayed per step, replay-only steps of 16.</summary>
    public static readonly ReplaySettings SmallReplay = OfficialSettings.Replay with { MinimumForReplay = 32, ReplayedPerStep = 16, ReplayOnlyBatch = 16 };

    /// <summary>
    /// Default settings, except the small replay, a selector that warms up within a segment and keeps a visible
    /// share of random-network samples, and learning rates large enough to move tiny networks.
    /// </summary>
    public static SimulationSettings Settings(int updateDelay = 1, NormParamsEncoding encoding = NormParamsEncoding.Fp16Delta)
    {
        var selector = OfficialSettings.Selector with { WarmUpSamples = 32, E0Fraction = 1.0, Lambda = 1.0, RedundancyEpsilon = 0.999 };
        var methods = OfficialSettings.Methods with
        {
            Selector = selector,
            EataSelector = selector with { DynamicThreshold = false, ExcludeLowInformative = false },
            Replay = SmallReplay,
            Cloud = OfficialSettings.Cloud with { FoundationLearningRate = 0.01, EdgeLearningRate = 0.05 },
            Tent = OfficialSettings.EntropyMinimization with { LearningRate = 0.05 },
            Eata = OfficialSettings.EntropyMinimization with { LearningRate = 0.05 },
        };
        return OfficialSettings.Simulation with { UpdateDelay = updateDelay, DownlinkEncoding = encoding, Methods = methods };
    }

    /// <summary>Tiny edge and foundation networks with random (unseeded) weights: each test compares runs on one set of them.</summary>
    public static SimulationModels Models()
    {
        using var edge = new ResNet(TinyNets.EdgeSpec);
        using var foundation = new ResNet(TinyNets.FoundationSpec);
        return SimulationModels.FromResNets(edge, foundation);
    }
}
