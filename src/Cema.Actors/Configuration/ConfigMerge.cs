namespace Cema.Actors.Configuration;

/// <summary>
/// The single merge rule HOCON uses for duplicate keys, includes and fallbacks alike: objects
/// merge field by field, anything else in front wins outright.
/// </summary>
internal static class ConfigMerge
{
    /// <summary>Merges <paramref name="top"/> over <paramref name="fallback"/>.</summary>
    public static ConfigValue Merge(ConfigValue top, ConfigValue fallback)
    {
        if (top is ConfigObject topObject && fallback is ConfigObject fallbackObject)
        {
            return MergeObjects(topObject, fallbackObject);
        }
        if (top is ConfigDelayedMerge || top is ConfigSubstitution || top is ConfigConcatenation)
        {
            // Unknown yet whether top is an object that should merge, or a value that hides the fallback.
            return new ConfigDelayedMerge(Stack(top).Concat(Stack(fallback)), top.Origin);
        }
        if (top is ConfigObject && fallback is ConfigDelayedMerge or ConfigSubstitution or ConfigConcatenation)
        {
            return new ConfigDelayedMerge(Stack(top).Concat(Stack(fallback)), top.Origin);
        }
        // A resolved non-object (or an object over a non-object) hides whatever was before it.
        return top;
    }

    /// <summary>
    /// Keys keep the fallback's order first, so overriding a default does not move it; the object
    /// keeps the fallback's origin too, the place it was first opened.
    /// </summary>
    public static ConfigObject MergeObjects(ConfigObject top, ConfigObject fallback)
    {
        var result = fallback;
        foreach (var key in top.Keys)
        {
            var value = top[key];
            result = result.With(key, fallback.TryGetValue(key, out var old) ? Merge(value, old) : value);
        }
        return result;
    }

    private static IEnumerable<ConfigValue> Stack(ConfigValue value) =>
        value is ConfigDelayedMerge merge ? merge.Stack : new[] { value };
}
