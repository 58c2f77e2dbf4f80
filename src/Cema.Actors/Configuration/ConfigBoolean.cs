namespace Cema.Actors.Configuration;

public sealed class ConfigBoolean : ConfigValue
{
    public ConfigBoolean(bool value, ConfigOrigin origin)
        : base(origin) => Value = value;

    public bool Value { get; }

    public override ConfigValueType Type => ConfigValueType.Boolean;

    internal override string Describe() => $"boolean {this}";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigBoolean(Value, origin);

    public override string ToString() => Value ? "true" : "false";
}
