namespace Cema.Actors.Configuration;

/// <summary>
/// Maps environment variables to config keys: <c>CEMA__edge__batch_size=64</c> sets
/// <c>cema.edge.batch-size</c>. Double underscores separate path segments (config keys contain
/// single hyphens, and shells forbid hyphens in variable names, so a single underscore stands for
/// one); the segments are lower-cased. The double underscore after <c>CEMA</c> also keeps the
/// scripts' own <c>CEMA_ROOT</c>-style variables from being read as configuration.
/// </summary>
public static class EnvironmentOverrides
{
    public const string Prefix = "CEMA__";

    /// <summary>The config path a variable name maps to, or null when it is not a config override.</summary>
    public static ConfigPath? MapName(string variable)
    {
        if (!variable.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var segments = variable.Split("__");
        if (segments.Any(s => s.Length == 0))
        {
            return null;
        }
        return new ConfigPath(segments.Select(s => s.ToLowerInvariant().Replace('_', '-')));
    }

    /// <summary>
    /// One object holding every override. A value is read as HOCON when it is one (so numbers,
    /// booleans and <c>[a, b]</c> lists keep their type) and as the literal string otherwise, since
    /// a path such as <c>/tmp/x:y</c> is not valid unquoted HOCON. Empty values count as unset, as the
    /// HOCON spec says for environment variables.
    /// </summary>
    internal static ConfigObject Build(IReadOnlyDictionary<string, string> environment, ICollection<ConfigDiagnostic> warnings)
    {
        var result = new ConfigObject(new ConfigOrigin("environment"));
        foreach (var (name, text) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || string.IsNullOrEmpty(text))
            {
                continue;
            }
            var origin = new ConfigOrigin($"environment variable {name}");
            var path = MapName(name);
            if (path is null)
            {
                warnings.Add(new ConfigDiagnostic(name, origin,
                    $"ignored: '{name}' has an empty path segment (write CEMA__section__key, with exactly two underscores between segments)"));
                continue;
            }
            ConfigValue value;
            try
            {
                value = Origins.Replace(HoconReader.ReadValue(text, origin.Source), origin);
            }
            catch (ConfigException)
            {
                value = new ConfigString(text, origin);
            }
            result = ConfigMerge.MergeObjects(ConfigObject.Nest(path, value, origin), result);
        }
        return result;
    }
}
