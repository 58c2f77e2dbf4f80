using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Evaluation;
using static Cema.Actors.Configuration.AdaptationSettingsConfig;

namespace Cema.Actors.Configuration;

/// <summary>
/// Cema.Models' settings records read from configuration: <c>cema.adapt</c> (the methods) and
/// <c>cema.eval.simulation</c> (the simulator), whose defaults live once, in hocon/reference.conf.
/// Cema.Models knows no configuration, so the mapping lives here, as C# 14 static extension members:
/// <c>MethodSettings.FromConfig(config)</c> reads like a factory of the record itself (one class per record,
/// since the members lower to static methods of their class). Each takes the
/// whole configuration (so callers never spell a path) and validates what it built, so a value out of
/// range fails at start-up naming its setting.
/// </summary>
public static class AdaptationSettingsConfig
{
    /// <summary>Where the method settings live.</summary>
    public const string AdaptPath = "cema.adapt";

    /// <summary>Where the simulator's own settings live.</summary>
    public const string SimulationPath = "cema.eval.simulation";

    /// <summary>fp32, fp16 or fp16-delta, as reference.conf writes the encodings; anything else fails naming <paramref name="path"/>.</summary>
    public static NormParamsEncoding ParseEncoding(string text, string path) => text switch
    {
        "fp32" => NormParamsEncoding.Fp32,
        "fp16" => NormParamsEncoding.Fp16,
        "fp16-delta" => NormParamsEncoding.Fp16Delta,
        _ => throw new ConfigException($"'{path}' must be fp32, fp16 or fp16-delta, but it is \"{text}\"", path),
    };

    internal static EntropySelectorSettings ReadSelector(Config config, string path)
    {
        var c = Section(config, path);
        return c.Checked(() => new EntropySelectorSettings(
            ExcludeUnreliable: c.GetBool("exclude-unreliable"),
            E0Fraction: c.GetDouble("e0-fraction"),
            DynamicThreshold: c.GetBool("dynamic-threshold"),
            WarmUpSamples: c.GetInt("warm-up-samples"),
            Lambda: c.GetDouble("lambda"),
            ExcludeLowInformative: c.GetBool("exclude-low-informative"),
            EMinFraction: c.GetDouble("e-min-fraction"),
            ExcludeRedundant: c.GetBool("exclude-redundant"),
            RedundancyEpsilon: c.GetDouble("redundancy-epsilon"),
            RedundancyMomentum: c.GetDouble("redundancy-momentum")).Validate());
    }

    internal static EntropyMinimizationSettings ReadEntropyMinimization(Config config, string path)
    {
        var c = Section(config, path);
        return c.Checked(() => new EntropyMinimizationSettings(c.GetDouble("lr"), c.GetDouble("momentum"), c.GetInt("batch-size"), c.GetBool("renormalization")).Validate());
    }

    internal static Config Section(Config config, string path) =>
        (config ?? throw new ArgumentNullException(nameof(config))).GetConfig(path);
}

/// <summary><c>EntropySelectorSettings.FromConfig(config)</c> (CEMA) and <c>EataFromConfig(config)</c>.</summary>
public static class EntropySelectorSettingsConfig
{
    extension(EntropySelectorSettings)
    {
        /// <summary>CEMA's selector, <c>cema.adapt.selector</c>.</summary>
        public static EntropySelectorSettings FromConfig(Config config) => ReadSelector(config, AdaptPath + ".selector");

        /// <summary>EATA's selector, <c>cema.adapt.eata-selector</c>.</summary>
        public static EntropySelectorSettings EataFromConfig(Config config) => ReadSelector(config, AdaptPath + ".eata-selector");
    }
}

/// <summary><c>CemaCloudSettings.FromConfig(config)</c>.</summary>
public static class CemaCloudSettingsConfig
{
    extension(CemaCloudSettings)
    {
        /// <summary><c>cema.adapt.cloud</c>.</summary>
        public static CemaCloudSettings FromConfig(Config config)
        {
            var c = Section(config, AdaptPath + ".cloud");
            return c.Checked(() => new CemaCloudSettings(
                E0Fraction: c.GetDouble("e0-fraction"),
                FoundationLearningRate: c.GetDouble("foundation-lr"),
                EdgeLearningRate: c.GetDouble("edge-lr"),
                Momentum: c.GetDouble("momentum"),
                Alpha: c.GetDouble("alpha"),
                Beta: c.GetDouble("beta"),
                Gamma: c.GetDouble("gamma"),
                Temperature: c.GetDouble("temperature"),
                Renormalization: c.GetBool("renormalization"),
                ClassBalance: c.GetBool("class-balance")).Validate());
        }
    }
}

/// <summary><c>ReplaySettings.FromConfig(config)</c>.</summary>
public static class ReplaySettingsConfig
{
    extension(ReplaySettings)
    {
        /// <summary><c>cema.adapt.replay</c>.</summary>
        public static ReplaySettings FromConfig(Config config)
        {
            var c = Section(config, AdaptPath + ".replay");
            return c.Checked(() => new ReplaySettings(
                Capacity: c.GetInt("capacity"),
                MaxBytes: c.GetBytes("max-bytes"),
                NewPerStep: c.GetInt("new-per-step"),
                MinimumForReplay: c.GetInt("minimum-for-replay"),
                ReplayedPerStep: c.GetInt("replayed-per-step"),
                ReplayOnlyBatch: c.GetInt("replay-only-batch")).Validate());
        }
    }
}

/// <summary><c>EntropyMinimizationSettings.TentFromConfig(config)</c> and <c>EataFromConfig(config)</c>.</summary>
public static class EntropyMinimizationSettingsConfig
{
    extension(EntropyMinimizationSettings)
    {
        /// <summary>Tent's optimizer, <c>cema.adapt.tent</c>.</summary>
        public static EntropyMinimizationSettings TentFromConfig(Config config) => ReadEntropyMinimization(config, AdaptPath + ".tent");

        /// <summary>EATA's optimizer, <c>cema.adapt.eata</c>.</summary>
        public static EntropyMinimizationSettings EataFromConfig(Config config) => ReadEntropyMinimization(config, AdaptPath + ".eata");
    }
}

/// <summary><c>MethodSettings.FromConfig(config)</c>.</summary>
public static class MethodSettingsConfig
{
    extension(MethodSettings)
    {
        /// <summary>Every method knob, <c>cema.adapt</c>.</summary>
        public static MethodSettings FromConfig(Config config) => new MethodSettings(
            Selector: EntropySelectorSettings.FromConfig(config),
            EataSelector: EntropySelectorSettings.EataFromConfig(config),
            Cloud: CemaCloudSettings.FromConfig(config),
            Replay: ReplaySettings.FromConfig(config),
            Tent: EntropyMinimizationSettings.TentFromConfig(config),
            Eata: EntropyMinimizationSettings.EataFromConfig(config)).Validate();
    }
}

/// <summary><c>SimulationSettings.FromConfig(config)</c>.</summary>
public static class SimulationSettingsConfig
{
    extension(SimulationSettings)
    {
        /// <summary><c>cema.eval.simulation</c> for the wiring and seeds, <c>cema.adapt</c> for the methods.</summary>
        public static SimulationSettings FromConfig(Config config)
        {
            var c = Section(config, SimulationPath);
            var encoding = ParseEncoding(c.GetString("downlink-encoding"), SimulationPath + ".downlink-encoding");
            var seeds = new SimulationSeeds(
                Replay: c.GetSeed("seeds.replay"),
                RandomUpload: c.GetSeed("seeds.random-upload"),
                Torch: c.GetLong("seeds.torch"));
            return c.Checked(() => new SimulationSettings(c.GetInt("update-delay"), encoding, c.GetInt("upload-header-bytes"), seeds,
                MethodSettings.FromConfig(config)).Validate());
        }
    }
}
