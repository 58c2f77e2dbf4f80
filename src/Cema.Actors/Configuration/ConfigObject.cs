using System.Collections.Immutable;

namespace Cema.Actors.Configuration;

/// <summary>
/// An object whose keys keep the order they were first written in, so that rendering the
/// effective configuration reads like reference.conf rather than in hash order.
/// </summary>
public sealed class ConfigObject : ConfigValue
{
    private readonly ImmutableDictionary<string, ConfigValue> _fields;

    public ConfigObject(ConfigOrigin origin)
        : this(ImmutableList<string>.Empty, ImmutableDictionary<string, ConfigValue>.Empty, origin)
    {
    }

    private ConfigObject(ImmutableList<string> keys, ImmutableDictionary<string, ConfigValue> fields, ConfigOrigin origin)
        : base(origin)
    {
        Keys = keys;
        _fields = fields;
    }

    public IReadOnlyList<string> Keys { get; }

    public int Count => _fields.Count;

    public ConfigValue this[string key] => _fields[key];

    public override ConfigValueType Type => ConfigValueType.Object;

    internal override bool IsResolved => _fields.Values.All(v => v.IsResolved);

    public bool TryGetValue(string key, out ConfigValue value) => _fields.TryGetValue(key, out value!);

    /// <summary>A copy with <paramref name="key"/> set, replacing (not merging) any earlier value.</summary>
    public ConfigObject With(string key, ConfigValue value) =>
        new(_fields.ContainsKey(key) ? (ImmutableList<string>)Keys : ((ImmutableList<string>)Keys).Add(key), _fields.SetItem(key, value), Origin);

    public ConfigObject Without(string key) =>
        _fields.ContainsKey(key) ? new(((ImmutableList<string>)Keys).Remove(key), _fields.Remove(key), Origin) : this;

    internal override string Describe() => "object";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigObject((ImmutableList<string>)Keys, _fields, origin);

    /// <summary>Builds <c>{ a { b { c = value } } }</c> for a dotted key, each level claiming the key's origin.</summary>
    internal static ConfigObject Nest(ConfigPath path, ConfigValue value, ConfigOrigin origin)
    {
        var current = value;
        for (var i = path.Count - 1; i >= 0; i--)
        {
            current = new ConfigObject(origin).With(path[i], current);
        }
        return (ConfigObject)current;
    }
}
