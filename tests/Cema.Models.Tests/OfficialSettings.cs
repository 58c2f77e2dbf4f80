using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Evaluation;

namespace Cema.Models.Tests;

/// <summary>
/// Fixed settings for unit tests: the official conf/cema.conf values (plus the paper's two rules, on,
/// with N_w = 1,000 and e_min = 0.02). Spelled out here rather than read from hocon/reference.conf because
/// the hand-computed expectations depend on them, and reference.conf's values are `cema tune`'s to change.
/// </summary>
internal static class OfficialSettings
{
    public static EntropySelectorSettings Selector { get; } = new(
        ExcludeUnreliable: true,
        E0Fraction: 0.4,
        DynamicThreshold: true,
        WarmUpSamples: 1_000,
        Lambda: 0.6,
        ExcludeLowInformative: true,
        EMinFraction: 0.02,
        ExcludeRedundant: true,
        RedundancyEpsilon: 0.05,
        RedundancyMomentum: 0.9);

    /// <summary>The released configuration EATA's selector follows: no dynamic bound, no E_min.</summary>
    public static EntropySelectorSettings Released { get; } = Selector with { DynamicThreshold = false, ExcludeLowInformative = false };

    public static CemaCloudSettings Cloud { get; } = new(
        E0Fraction: 0.4,
        FoundationLearningRate: 2.5e-4,
        EdgeLearningRate: 2.5e-3,
        Momentum: 0.9,
        Alpha: 3,
        Beta: 3,
        Gamma: 1,
        Temperature: 1,
        Renormalization: true,
        ClassBalance: false);

    public static ReplaySettings Replay { get; } = new(
        Capacity: 10_000,
        MaxBytes: 64L * 1024 * 1024,
        NewPerStep: 32,
        MinimumForReplay: 256,
        ReplayedPerStep: 96,
        ReplayOnlyBatch: 128);

    /// <summary>Tent's and EATA's optimizer, with their replica in renormalization as CEMA's (the tests were written for that mode).</summary>
    public static EntropyMinimizationSettings EntropyMinimization { get; } = new(LearningRate: 2.5e-4, Momentum: 0.9, BatchSize: 32, Renormalization: true);

    public static MethodSettings Methods { get; } = new(Selector, Released, Cloud, Replay, EntropyMinimization, EntropyMinimization);

    public static SimulationSettings Simulation { get; } = new(
        UpdateDelay: 1,
        DownlinkEncoding: NormParamsEncoding.Fp16Delta,
        UploadHeaderBytes: 16,
        Seeds: new SimulationSeeds(Replay: 1, RandomUpload: 2, Torch: 0),
        Methods: Methods);
}
