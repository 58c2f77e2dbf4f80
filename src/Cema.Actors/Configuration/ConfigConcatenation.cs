using System.Collections.Immutable;
using System.Text;

namespace Cema.Actors.Configuration;

/// <summary>
/// Several values written side by side on one line (<c>10 KB</c>, <c>${a} [4]</c>,
/// <c>${base} { x = 1 }</c>). While a part is still a substitution the kind of the result is
/// unknown, so the parts wait here; <see cref="Fold"/> combines them once they are resolved.
/// </summary>
internal sealed class ConfigConcatenation : ConfigValue
{
    public ConfigConcatenation(IEnumerable<ConfigValue> parts, ConfigOrigin origin)
        : base(origin) => Parts = parts.ToImmutableArray();

    public ImmutableArray<ConfigValue> Parts { get; }

    public override ConfigValueType Type => throw new InvalidOperationException("an unresolved concatenation has no type yet");

    internal override bool IsResolved => false;

    internal override string Describe() => "concatenation of " + string.Join(" ", Parts.Where(p => p is not ConfigString { IsSeparator: true }).Select(p => p.Describe()));

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigConcatenation(Parts, origin);

    /// <summary>
    /// Combines resolved parts (null = an undefined optional substitution, which simply drops out):
    /// strings concatenate keeping inner whitespace, lists append, objects merge with later parts
    /// winning. Mixing a list or object with a string is an error.
    /// </summary>
    public static ConfigValue? Fold(IReadOnlyList<ConfigValue?> resolvedParts, ConfigOrigin origin, string where)
    {
        var parts = resolvedParts.Where(p => p is not null).Select(p => p!).ToList();
        while (parts.Count > 0 && parts[0] is ConfigString { IsSeparator: true })
        {
            parts.RemoveAt(0);
        }
        while (parts.Count > 0 && parts[^1] is ConfigString { IsSeparator: true })
        {
            parts.RemoveAt(parts.Count - 1);
        }
        if (parts.Count == 0)
        {
            return null;
        }
        if (parts.Count == 1)
        {
            return parts[0];
        }

        if (parts.Any(p => p is ConfigList or ConfigObject))
        {
            // Between lists or objects the whitespace is layout, not content.
            var structural = parts.Where(p => p is not ConfigString { IsSeparator: true }).ToList();
            if (structural.All(p => p is ConfigList))
            {
                return new ConfigList(structural.SelectMany(p => ((ConfigList)p).Items), origin);
            }
            if (structural.All(p => p is ConfigObject))
            {
                var merged = structural[0];
                foreach (var next in structural.Skip(1))
                {
                    merged = ConfigMerge.Merge(next, merged);
                }
                return merged.WithOrigin(origin);
            }
            var kinds = string.Join(", ", structural.Select(p => p.Describe()));
            throw new ConfigException(
                $"{origin}: {where}: cannot concatenate {kinds}; only strings with strings, lists with lists or objects with objects",
                origin: origin);
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part switch
            {
                ConfigString s => s.Value,
                ConfigNumber n => n.Text,
                ConfigBoolean b => b.ToString(),
                ConfigNull => "null",
                _ => throw new InvalidOperationException($"unexpected part {part.Describe()}"),
            });
        }
        return new ConfigString(text.ToString(), origin);
    }
}
