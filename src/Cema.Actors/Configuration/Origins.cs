namespace Cema.Actors.Configuration;

/// <summary>
/// Re-labels a value parsed from a one-line source (an environment variable, a <c>--set</c>
/// argument), whose "line 1" would only confuse: the source's name says everything.
/// </summary>
internal static class Origins
{
    public static ConfigValue Replace(ConfigValue value, ConfigOrigin origin) => value switch
    {
        ConfigObject obj => obj.Keys.Aggregate(new ConfigObject(origin), (o, k) => o.With(k, Replace(obj[k], origin))),
        ConfigList list => new ConfigList(list.Items.Select(i => Replace(i, origin)), origin),
        ConfigConcatenation c => new ConfigConcatenation(c.Parts.Select(p => Replace(p, origin)), origin),
        ConfigDelayedMerge m => new ConfigDelayedMerge(m.Stack.Select(p => Replace(p, origin)), origin),
        _ => value.WithOrigin(origin),
    };
}
