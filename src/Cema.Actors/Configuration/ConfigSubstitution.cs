namespace Cema.Actors.Configuration;

/// <summary>
/// A <c>${path}</c> or <c>${?path}</c> waiting for resolution, which happens only after every
/// file, include and override has been merged so that a reference sees the final value.
/// </summary>
internal sealed class ConfigSubstitution : ConfigValue
{
    public ConfigSubstitution(ConfigPath path, bool optional, ConfigOrigin origin, int prefixLength = 0)
        : base(origin)
    {
        Path = path;
        Optional = optional;
        PrefixLength = prefixLength;
    }

    /// <summary>Absolute path: for a file included inside an object, the object's path is prefixed.</summary>
    public ConfigPath Path { get; }

    public bool Optional { get; }

    /// <summary>
    /// How many leading segments came from an include's location. When the prefixed path does not
    /// exist the path as written is tried too, so an included file can still reach top-level keys.
    /// </summary>
    public int PrefixLength { get; }

    public override ConfigValueType Type => throw new InvalidOperationException("an unresolved substitution has no type yet");

    internal override bool IsResolved => false;

    internal ConfigPath WrittenPath => Path.Skip(PrefixLength);

    internal override string Describe() => $"${{{(Optional ? "?" : "")}{WrittenPath}}}";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigSubstitution(Path, Optional, origin, PrefixLength);

    public override string ToString() => Describe();
}
