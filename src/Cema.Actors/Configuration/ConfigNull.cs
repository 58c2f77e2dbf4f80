namespace Cema.Actors.Configuration;

/// <summary>
/// An explicit <c>null</c>. It is a value, not an absence: it stops an object merge and blocks the
/// environment-variable fallback of a substitution, as the HOCON spec requires.
/// </summary>
public sealed class ConfigNull : ConfigValue
{
    public ConfigNull(ConfigOrigin origin)
        : base(origin)
    {
    }

    public override ConfigValueType Type => ConfigValueType.Null;

    internal override string Describe() => "null";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigNull(origin);

    public override string ToString() => "null";
}
