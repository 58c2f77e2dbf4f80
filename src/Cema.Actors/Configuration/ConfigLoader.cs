using System.Collections;

namespace Cema.Actors.Configuration;

/// <summary>What to load; every source but reference.conf is optional.</summary>
public sealed record ConfigLoadOptions
{
    public string ReferenceFile { get; init; } = ConfigLoader.DefaultReferenceFile;

    /// <summary>The <c>--config</c> file, if any.</summary>
    public string? UserFile { get; init; }

    /// <summary><c>--set</c> arguments, each <c>key=value</c> with the value in HOCON syntax; later ones win.</summary>
    public IReadOnlyList<string> Sets { get; init; } = Array.Empty<string>();

    /// <summary>The environment to read <c>CEMA__…</c> overrides and <c>${?VAR}</c> from; null means the process's.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Called once per warning as well as collecting it in the result, e.g. to log it.</summary>
    public Action<ConfigDiagnostic>? OnWarning { get; init; }

    public static ConfigLoadOptions FromArguments(ConfigArguments arguments) =>
        new() { UserFile = arguments.ConfigFile, Sets = arguments.Sets };
}

public sealed record ConfigLoadResult(Config Config, IReadOnlyList<ConfigDiagnostic> Warnings);

/// <summary>
/// Builds the effective configuration: reference.conf &lt; the user's file &lt; <c>CEMA__…</c>
/// environment variables &lt; <c>--set</c>. All sources are merged before substitutions are
/// resolved, so a <c>${…}</c> in reference.conf sees an override from the command line. The result
/// is then checked against reference.conf: unknown keys warn, type conflicts fail.
/// </summary>
public static class ConfigLoader
{
    public const string DefaultReferenceFile = "hocon/reference.conf";

    public static ConfigLoadResult Load(ConfigLoadOptions options)
    {
        var environment = options.Environment ?? ProcessEnvironment();
        string? Lookup(string name) => environment.TryGetValue(name, out var v) ? v : null;
        var warnings = new List<ConfigDiagnostic>();

        var reference = HoconReader.ReadFile(options.ReferenceFile);
        ConfigValue merged = reference;
        if (options.UserFile is not null)
        {
            merged = ConfigMerge.Merge(HoconReader.ReadFile(options.UserFile), merged);
        }
        merged = ConfigMerge.Merge(EnvironmentOverrides.Build(environment, warnings), merged);
        foreach (var set in options.Sets)
        {
            merged = ConfigMerge.Merge(ParseSet(set), merged);
        }

        var effective = Resolver.Resolve((ConfigObject)merged, Lookup);
        var errors = new List<ConfigException>();
        // Leniently: a default that needs a user-supplied key simply carries no type to check.
        ReferenceValidator.Validate(Resolver.Resolve(reference, Lookup, lenient: true), effective, warnings, errors);
        if (errors.Count == 1)
        {
            throw errors[0];
        }
        if (errors.Count > 1)
        {
            throw new ConfigException(
                $"{errors.Count} configuration errors:\n" + string.Join("\n", errors.Select(e => "  " + e.Message)),
                errors[0].Path, errors[0].Origin);
        }
        foreach (var warning in warnings)
        {
            options.OnWarning?.Invoke(warning);
        }
        return new ConfigLoadResult(new Config(effective), warnings);
    }

    /// <summary><c>key=value</c>: the key is a path expression, the value any HOCON value (quote it to keep ':' or '#').</summary>
    private static ConfigObject ParseSet(string set)
    {
        var equals = set.IndexOf('=');
        if (equals <= 0)
        {
            throw new ConfigException($"--set '{set}': expected key=value, e.g. --set cema.edge.batch-size=64");
        }
        var origin = new ConfigOrigin($"--set {set}");
        ConfigPath path;
        try
        {
            path = ConfigPath.Parse(set[..equals].Trim());
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"--set '{set}': invalid key: {e.Message}", origin: origin, inner: e);
        }
        ConfigValue value;
        try
        {
            value = HoconReader.ReadValue(set[(equals + 1)..], $"--set {path}");
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"--set '{set}': the value is not valid HOCON (quote strings that contain ':', '#', '$' or spaces at the ends): {e.Message}",
                path.ToString(), origin, e);
        }
        return ConfigObject.Nest(path, Origins.Replace(value, origin), origin);
    }

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? "";
        }
        return result;
    }
}
