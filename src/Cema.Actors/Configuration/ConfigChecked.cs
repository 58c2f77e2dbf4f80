using System.Text;

namespace Cema.Actors.Configuration;

/// <summary>
/// Settings records validate themselves and name a C# property (<c>EdgeLearningRate</c>); a user wrote a key
/// (<c>edge-lr</c>). <see cref="Checked{T}"/> builds a record from a section and turns such an
/// <see cref="ArgumentOutOfRangeException"/> into a <see cref="ConfigException"/> naming the key, where it was set
/// and its value: "Config key 'cema.adapt.cloud.edge-lr' (set at --set …) must be non-negative, but it is number -1".
/// </summary>
public static class ConfigChecked
{
    /// <summary>
    /// <paramref name="build"/>() with its range errors named by key: the section's key (at any depth) whose last
    /// segment is the property in kebab case (<c>EMinFraction</c> → <c>e-min-fraction</c>, or its abbreviation:
    /// <c>…LearningRate</c> → <c>…lr</c>), else the section itself.
    /// </summary>
    public static T Checked<T>(this Config section, Func<T> build)
    {
        ArgumentNullException.ThrowIfNull(section);
        try
        {
            return build();
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is { } property && KeyOf(section, property) is { } key)
        {
            string rule = e.Message.Split('\n')[0].Replace($" (Parameter '{property}')", "").TrimEnd('.');
            int named = rule.IndexOf($"{property} ", StringComparison.Ordinal);
            if (named >= 0 && rule.IndexOf(' ') >= named) rule = rule[(named + property.Length + 1)..];
            else rule = $"is out of range ({rule})";
            throw section.OutOfRange(key, rule, e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ConfigException($"'{section.Path}': {e.Message}", section.Path, inner: e);
        }
    }

    /// <summary>
    /// The error for <paramref name="key"/> (relative to <paramref name="section"/>) whose value breaks
    /// <paramref name="rule"/> ("must be at least 1"): the key's full path, where it was set and its value.
    /// </summary>
    public static ConfigException OutOfRange(this Config section, string key, string rule, Exception? inner = null)
    {
        var value = section.GetValue(key);
        string path = section.PathOf(key);
        return new ConfigException($"Config key '{path}' (set at {value.Origin}) {rule}, but it is {value.Describe()}", path, value.Origin, inner);
    }

    // Where reference.conf writes a shorter key than the property's name.
    private static readonly (string Long, string Short)[] Abbreviations = [("learning-rate", "lr"), ("max-nr-of-retries", "max-retries")];

    private static string? KeyOf(Config section, string property)
    {
        string kebab = Kebab(property);
        string[] names = [kebab, .. Abbreviations.Select(a => kebab.Replace(a.Long, a.Short))];
        var found = Leaves(section.Root, "").Where(path => names.Contains(path[(path.LastIndexOf('.') + 1)..])).ToList();
        return found.Count == 1 ? found[0] : null;
    }

    private static IEnumerable<string> Leaves(ConfigObject obj, string prefix)
    {
        foreach (var key in obj.Keys)
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (obj[key] is ConfigObject child)
                foreach (var leaf in Leaves(child, path)) yield return leaf;
            else yield return path;
        }
    }

    // EMinFraction -> e-min-fraction, E0Fraction -> e0-fraction, RandomFactor -> random-factor.
    private static string Kebab(string property)
    {
        var kebab = new StringBuilder();
        for (int i = 0; i < property.Length; i++)
        {
            char ch = property[i];
            bool boundary = i > 0 && char.IsUpper(ch)
                && (!char.IsUpper(property[i - 1]) || (i + 1 < property.Length && char.IsLower(property[i + 1])));
            if (boundary) kebab.Append('-');
            kebab.Append(char.ToLowerInvariant(ch));
        }
        return kebab.ToString();
    }
}
