using System.Collections.Immutable;

namespace Cema.Actors.Configuration;

/// <summary>
/// Several values assigned to one key where at least one is unresolved, so whether they merge
/// (objects) or the top one wins cannot be known yet. Index 0 wins. Keeping the lower values is
/// also what lets <c>a = ${a} [x]</c> and <c>a += x</c> see the value <c>a</c> had before.
/// </summary>
internal sealed class ConfigDelayedMerge : ConfigValue
{
    public ConfigDelayedMerge(IEnumerable<ConfigValue> stack, ConfigOrigin origin)
        : base(origin) => Stack = stack.ToImmutableArray();

    public ImmutableArray<ConfigValue> Stack { get; }

    public override ConfigValueType Type => throw new InvalidOperationException("an unresolved merge has no type yet");

    internal override bool IsResolved => false;

    internal override string Describe() => $"merge of {Stack.Length} values";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigDelayedMerge(Stack, origin);
}
