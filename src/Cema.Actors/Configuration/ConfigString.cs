namespace Cema.Actors.Configuration;

public sealed class ConfigString : ConfigValue
{
    public ConfigString(string value, ConfigOrigin origin)
        : this(value, origin, isSeparator: false)
    {
    }

    private ConfigString(string value, ConfigOrigin origin, bool isSeparator)
        : base(origin)
    {
        Value = value;
        IsSeparator = isSeparator;
    }

    public string Value { get; }

    public override ConfigValueType Type => ConfigValueType.String;

    /// <summary>
    /// Whitespace between the parts of a value concatenation. HOCON keeps it when the parts are
    /// strings ("2 minutes") but drops it when they are lists or objects (<c>${a} [1]</c>), which
    /// can only be decided once substitutions are resolved.
    /// </summary>
    internal bool IsSeparator { get; }

    internal static ConfigString Separator(string whitespace, ConfigOrigin origin) => new(whitespace, origin, isSeparator: true);

    internal override string Describe() => $"string {ConfigRenderer.Quote(Value)}";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigString(Value, origin, IsSeparator);

    public override string ToString() => Value;
}
