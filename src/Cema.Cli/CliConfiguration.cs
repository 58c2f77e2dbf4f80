using Cema.Actors.Configuration;
using Cema.Torch;

namespace Cema.Cli;

/// <summary>
/// The configuration every verb shares: hocon/reference.conf (copied next to the binary) &lt;
/// <c>--config FILE</c> &lt; <c>CEMA__a__b</c> environment variables &lt; <c>--set a.b=v</c>.
/// </summary>
internal static class CliConfiguration
{
    public static string ReferenceFile => Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");

    /// <summary>Loads the effective configuration and returns it with the arguments left for the verb.</summary>
    public static (Config config, string[] remaining) Load(string[] args)
    {
        var parsed = ConfigArguments.Parse(args);
        var loaded = ConfigLoader.Load(ConfigLoadOptions.FromArguments(parsed) with
        {
            ReferenceFile = ReferenceFile,
            OnWarning = w => Console.Error.WriteLine($"warning: {w}"),
        });
        return (loaded.Config, parsed.Remaining.ToArray());
    }

    /// <summary>Applies <c>cema.torch</c>: LibTorch's intra-op thread count (0 = one per core).</summary>
    public static void ApplyTorchSettings(Config config)
    {
        int threads = config.GetInt("cema.torch.threads");
        if (threads < 0) throw new ConfigException($"cema.torch.threads must be 0 (one per core) or positive, got {threads}");
        torch.set_num_threads(threads == 0 ? Environment.ProcessorCount : threads);
    }
}
