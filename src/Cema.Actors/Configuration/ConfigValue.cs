namespace Cema.Actors.Configuration;

/// <summary>
/// An immutable configuration value. The public subclasses are the resolved JSON types; the
/// internal ones (substitutions, concatenations, delayed merges) exist only between parsing and
/// resolution, which is why a resolved <see cref="Config"/> never exposes them.
/// </summary>
public abstract class ConfigValue
{
    private protected ConfigValue(ConfigOrigin origin) => Origin = origin;

    public ConfigOrigin Origin { get; }

    public abstract ConfigValueType Type { get; }

    /// <summary>False only for the parse-time placeholders that the resolver replaces.</summary>
    internal virtual bool IsResolved => true;

    /// <summary>Used in error messages, e.g. <c>string "abc"</c>.</summary>
    internal abstract string Describe();

    /// <summary>A copy that claims another origin; a substituted value reports where it was used.</summary>
    internal abstract ConfigValue WithOrigin(ConfigOrigin origin);
}
