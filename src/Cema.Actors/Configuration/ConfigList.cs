using System.Collections.Immutable;

namespace Cema.Actors.Configuration;

public sealed class ConfigList : ConfigValue
{
    public ConfigList(IEnumerable<ConfigValue> items, ConfigOrigin origin)
        : base(origin) => Items = items.ToImmutableArray();

    public ImmutableArray<ConfigValue> Items { get; }

    public override ConfigValueType Type => ConfigValueType.List;

    internal override bool IsResolved => Items.All(i => i.IsResolved);

    internal override string Describe() => $"list of {Items.Length}";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigList(Items, origin);
}
