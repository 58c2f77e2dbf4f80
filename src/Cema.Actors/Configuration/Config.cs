namespace Cema.Actors.Configuration;

/// <summary>
/// A resolved, immutable configuration with strict typed getters. A getter never guesses: a
/// missing key, a null or a value of the wrong type throws <see cref="ConfigException"/> naming the
/// full key path and the file:line that set it, so a misconfiguration fails at start-up, loudly.
/// </summary>
public sealed class Config
{
    private readonly ConfigPath _prefix;

    public Config(ConfigObject root)
        : this(root, ConfigPath.Root)
    {
    }

    private Config(ConfigObject root, ConfigPath prefix)
    {
        if (!root.IsResolved)
        {
            throw new ArgumentException("a Config holds resolved values only; substitutions must be resolved first", nameof(root));
        }
        Root = root;
        _prefix = prefix;
    }

    public static Config Empty { get; } = new(new ConfigObject(ConfigOrigin.Code));

    /// <summary>Parses and resolves HOCON text. Includes are looked for in <paramref name="baseDirectory"/> (default: the current directory).</summary>
    public static Config ParseString(string text, string source = "string", string? baseDirectory = null, Func<string, string?>? environment = null) =>
        new(Resolver.Resolve(HoconReader.ReadText(text, source, baseDirectory), environment ?? HoconReader.ProcessEnvironment));

    /// <summary>Parses and resolves a file; its includes are looked for next to it.</summary>
    public static Config ParseFile(string file, Func<string, string?>? environment = null) =>
        new(Resolver.Resolve(HoconReader.ReadFile(file), environment ?? HoconReader.ProcessEnvironment));

    public ConfigObject Root { get; }

    /// <summary>The keys directly under the root, in the order they were first written.</summary>
    public IReadOnlyList<string> Keys => Root.Keys;

    /// <summary>True when the path exists and is not null (null is how HOCON unsets a key).</summary>
    public bool HasPath(string path) => Find(ConfigPath.Parse(path)) is { } v && v is not ConfigNull;

    /// <summary>The value at <paramref name="path"/>; throws when it is missing.</summary>
    public ConfigValue GetValue(string path)
    {
        var parsed = ConfigPath.Parse(path);
        ConfigValue current = Root;
        for (var i = 0; i < parsed.Count; i++)
        {
            if (current is not ConfigObject obj)
            {
                var parent = FullPath(parsed.Take(i));
                throw new ConfigException(
                    $"Config key '{FullPath(parsed)}' cannot exist: '{parent}' (set at {current.Origin}) is {current.Describe()}, not an object",
                    FullPath(parsed), current.Origin);
            }
            if (!obj.TryGetValue(parsed[i], out current!))
            {
                throw new ConfigException($"Missing required config key '{FullPath(parsed)}'", FullPath(parsed));
            }
        }
        return current;
    }

    public string GetString(string path) =>
        Get(path, "a string", (ConfigValue v, out string r) => ValueConversions.TryGetString(v, out r));

    public int GetInt(string path) =>
        (int)Get(path, "an int (a whole number from -2147483648 to 2147483647)",
            (ConfigValue v, out long r) => ValueConversions.TryGetLong(v, int.MinValue, int.MaxValue, out r));

    public long GetLong(string path) =>
        Get(path, "a long (a whole number that fits in 64 bits)",
            (ConfigValue v, out long r) => ValueConversions.TryGetLong(v, long.MinValue, long.MaxValue, out r));

    /// <summary>A random seed: a whole number from 0 up, so that a negative one is refused rather than wrapped around.</summary>
    public ulong GetSeed(string path) =>
        (ulong)Get(path, "a seed (a whole number from 0 to 9223372036854775807)",
            (ConfigValue v, out long r) => ValueConversions.TryGetLong(v, 0, long.MaxValue, out r));

    public double GetDouble(string path) =>
        Get(path, "a number", (ConfigValue v, out double r) => ValueConversions.TryGetDouble(v, out r));

    public bool GetBool(string path) =>
        Get(path, "a boolean (true/false, yes/no, on/off)", (ConfigValue v, out bool r) => ValueConversions.TryGetBoolean(v, out r));

    /// <summary>A number is milliseconds; a string is a number and a unit such as <c>10s</c> or <c>2 minutes</c>.</summary>
    public TimeSpan GetDuration(string path)
    {
        var value = GetValue(path);
        if (!ValueConversions.TryGetDuration(value, out var result, out var error))
        {
            throw WrongType(path, value, "a duration (milliseconds, or a number with a unit such as 10s)",
                string.IsNullOrEmpty(error) ? $"units: {DurationFormat.Units}" : error);
        }
        return result;
    }

    /// <summary>A number is bytes; a string is a number and a unit such as <c>64MiB</c> or <c>10 kB</c>.</summary>
    public long GetBytes(string path)
    {
        var value = GetValue(path);
        if (!ValueConversions.TryGetBytes(value, out var result, out var error))
        {
            throw WrongType(path, value, "a size in bytes (a number, or a number with a unit such as 64MiB)",
                string.IsNullOrEmpty(error) ? $"units: {ByteSizeFormat.Units}" : error);
        }
        return result;
    }

    public IReadOnlyList<string> GetStringList(string path) =>
        GetList(path, "a list of strings", (ConfigValue v, out string r) => ValueConversions.TryGetString(v, out r));

    public IReadOnlyList<int> GetIntList(string path) =>
        GetList(path, "a list of ints", (ConfigValue v, out long r) => ValueConversions.TryGetLong(v, int.MinValue, int.MaxValue, out r))
            .Select(l => (int)l).ToList();

    public IReadOnlyList<bool> GetBooleanList(string path) =>
        GetList(path, "a list of booleans", (ConfigValue v, out bool r) => ValueConversions.TryGetBoolean(v, out r));

    public IReadOnlyList<double> GetDoubleList(string path) =>
        GetList(path, "a list of numbers", (ConfigValue v, out double r) => ValueConversions.TryGetDouble(v, out r));

    /// <summary>Where this config sits in the whole configuration (empty at the root).</summary>
    public string Path => _prefix.ToString();

    /// <summary>The full path of <paramref name="key"/>, a path relative to this config, for messages.</summary>
    public string PathOf(string key) => FullPath(ConfigPath.Parse(key));

    /// <summary>The object at <paramref name="path"/> as a Config; its errors still name full paths.</summary>
    public Config GetConfig(string path)
    {
        var value = GetValue(path);
        if (value is not ConfigObject obj)
        {
            throw WrongType(path, value, "an object");
        }
        return new Config(obj, _prefix.Append(ConfigPath.Parse(path)));
    }

    /// <summary>This config with <paramref name="fallback"/> filling the keys it lacks; objects merge, as for duplicate keys.</summary>
    public Config WithFallback(Config fallback) =>
        new(ConfigMerge.MergeObjects(Root, fallback.Root), _prefix);

    /// <summary>The configuration as HOCON, each value followed by a comment saying where it was set.</summary>
    public string Render() => ConfigRenderer.Render(Root);

    public override string ToString() => Render();

    private delegate bool TryConvert<T>(ConfigValue value, out T result);

    private T Get<T>(string path, string expected, TryConvert<T> convert)
    {
        var value = GetValue(path);
        if (!convert(value, out var result))
        {
            throw WrongType(path, value, expected);
        }
        return result;
    }

    private IReadOnlyList<T> GetList<T>(string path, string expected, TryConvert<T> convert)
    {
        var value = GetValue(path);
        if (value is not ConfigList list)
        {
            throw WrongType(path, value, expected);
        }
        var results = new List<T>(list.Items.Length);
        for (var i = 0; i < list.Items.Length; i++)
        {
            var item = list.Items[i];
            if (!convert(item, out var r))
            {
                throw new ConfigException(
                    $"Config key '{FullPath(ConfigPath.Parse(path))}' (set at {item.Origin}) must be {expected}, but element {i} is {item.Describe()}",
                    FullPath(ConfigPath.Parse(path)), item.Origin);
            }
            results.Add(r);
        }
        return results;
    }

    private ConfigException WrongType(string path, ConfigValue value, string expected, string detail = "")
    {
        var full = FullPath(ConfigPath.Parse(path));
        var why = string.IsNullOrEmpty(detail) ? "" : $" ({detail})";
        return new ConfigException(
            $"Config key '{full}' (set at {value.Origin}) must be {expected}, but it is {value.Describe()}{why}",
            full, value.Origin);
    }

    private string FullPath(ConfigPath relative) => _prefix.Append(relative).ToString();

    private ConfigValue? Find(ConfigPath path)
    {
        ConfigValue current = Root;
        foreach (var segment in path.Segments)
        {
            if (current is not ConfigObject obj || !obj.TryGetValue(segment, out current!))
            {
                return null;
            }
        }
        return current;
    }
}
