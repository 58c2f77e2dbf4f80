using Cema.Actors.Configuration;
using Cema.Models.Evaluation;
using Cema.Models.Networks;
using Cema.Models.Training;
using Cema.Torch;

namespace Cema.Cli;

/// <summary>
/// The effective configuration of a command: hocon/reference.conf, then <c>--config FILE</c>,
/// <c>CEMA__…</c> environment variables and <c>--set key=value</c> (Program.cs takes those two
/// options off the command line before the verbs parse it). Relative paths in the configuration
/// are resolved against the repository root, found from the built binary, so a command works from
/// any directory, tests' bin/ included.
/// </summary>
internal sealed class CliSettings
{
    /// <summary>Set by Program.cs from the process's arguments.</summary>
    public static ConfigArguments Arguments { get; set; } = new(null, Array.Empty<string>(), Array.Empty<string>());

    private static readonly Lazy<CliSettings> LazyCurrent = new(() => new CliSettings(Arguments));

    public static CliSettings Current => LazyCurrent.Value;

    private CliSettings(ConfigArguments arguments)
    {
        Root = FindRoot();
        Config = ConfigLoader.Load(ConfigLoadOptions.FromArguments(arguments) with
        {
            ReferenceFile = Path.Combine(Root, ConfigLoader.DefaultReferenceFile),
            OnWarning = w => Console.Error.WriteLine($"cema: warning: {w}"),
        }).Config;
    }

    public string Root { get; }

    public Config Config { get; }

    public string DataDirectory => FromRoot(Config.GetString("cema.data.fashion-mnist"));

    public string ModelsDirectory => FromRoot(Config.GetString("cema.models.dir"));

    public string CheckpointDirectory => FromRoot(Config.GetString("cema.train.checkpoint-dir"));

    public int EvalBatchSize => Config.GetInt("cema.eval.batch-size");

    public ulong CorruptionSeed => Config.GetSeed("cema.eval.corruption-seed");

    /// <summary>Images per corruption of a simulated table when --limit is not given (cema.eval.simulation.limit).</summary>
    public int SimulationLimit => Config.GetInt("cema.eval.simulation.limit");

    /// <summary>Images per edge batch of a simulation (cema.eval.simulation.edge-batch-size).</summary>
    public int SimulationEdgeBatchSize => Config.GetInt("cema.eval.simulation.edge-batch-size");

    /// <summary>The simulator's wiring and seeds (cema.eval.simulation) and every method knob (cema.adapt).</summary>
    public SimulationSettings Simulation => SimulationSettings.FromConfig(Config);

    public int Threads
    {
        get
        {
            int threads = Config.GetInt("cema.torch.threads");
            if (threads < 0) throw new ConfigException($"cema.torch.threads must be 0 (one per core) or positive, got {threads}");
            return threads > 0 ? threads : Environment.ProcessorCount;
        }
    }

    /// <summary>Sets LibTorch's intra-op threads from cema.torch.threads and returns the number.</summary>
    public int ApplyThreads()
    {
        torch.set_num_threads(Threads);
        return torch.get_num_threads();
    }

    /// <summary>The recipe of cema.train (shared keys) and cema.train.MODEL (per-model keys).</summary>
    public TrainingRecipe Recipe(string model, int? epochs, ulong? seed, int? limit)
    {
        var train = Config.GetConfig("cema.train");
        var own = train.GetConfig(model);
        return new TrainingRecipe(
            ResNetSpec.ByName(model),
            Epochs: epochs ?? own.GetInt("epochs"),
            Seed: seed ?? train.GetSeed("seed"),
            BatchSize: train.GetInt("batch-size"),
            LearningRate: own.GetDouble("lr"),
            Momentum: train.GetDouble("momentum"),
            WeightDecay: train.GetDouble("weight-decay"),
            Nesterov: train.GetBool("nesterov"),
            WarmupEpochs: train.GetDouble("warmup-epochs"),
            Augmentation: Augmentation.ParseKind(own.GetString("augmentation")),
            CropPadding: train.GetInt("crop-padding"),
            Limit: limit);
    }

    /// <summary>A path from the configuration: absolute as it is, relative from the repository root.</summary>
    public string FromRoot(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root, path));

    /// <summary>
    /// <paramref name="path"/> relative to the current directory when it lies under it (so messages
    /// say <c>models/edge.safetensors</c>, a path <c>git checkout</c> takes as it is), otherwise as given.
    /// </summary>
    public static string ForDisplay(string path)
    {
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    internal static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, ConfigLoader.DefaultReferenceFile))) return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no {ConfigLoader.DefaultReferenceFile} above {AppContext.BaseDirectory} or the current directory: run cema from a checkout (./cema …)");
    }
}
