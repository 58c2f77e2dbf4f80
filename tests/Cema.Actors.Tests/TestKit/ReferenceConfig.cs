using Cema.Actors.Cloud;
using Cema.Actors.Configuration;
using Cema.Actors.Replay;
using Cema.Models.Adaptation;

namespace Cema.Actors.Tests.TestKit;

/// <summary>
/// hocon/reference.conf as the commands load it (no user file, no environment overrides), so tests start from
/// the same defaults as production and vary only what they test.
/// </summary>
internal static class ReferenceConfig
{
    private static readonly Lazy<Config> Reference = new(() => Load());

    /// <summary>reference.conf alone.</summary>
    public static Config Value => Reference.Value;

    /// <summary>reference.conf with <paramref name="sets"/> (<c>key=value</c>, as <c>--set</c>) applied.</summary>
    public static Config Load(params string[] sets) =>
        ConfigLoader.Load(new ConfigLoadOptions { ReferenceFile = File, Environment = new Dictionary<string, string>(), Sets = sets }).Config;

    /// <summary>The repository's root: the folder holding hocon/reference.conf.</summary>
    public static string RepositoryRoot => Path.GetDirectoryName(Path.GetDirectoryName(File))!;

    /// <summary>The path of hocon/reference.conf, found above the test binaries.</summary>
    public static string File
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "hocon", "reference.conf");
                if (System.IO.File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("hocon/reference.conf not found above the test directory");
        }
    }

    public static CloudCoordinatorSettings Coordinator => CloudCoordinatorSettings.FromConfig(Value);

    public static ReplaySettings Replay => ReplaySettings.FromConfig(Value);

    public static ReplayActorSettings ReplayActor => ReplayActorSettings.FromConfig(Value);

    public static CemaCloudSettings Cloud => CemaCloudSettings.FromConfig(Value);

    public static EntropySelectorSettings Selector => EntropySelectorSettings.FromConfig(Value);
}
