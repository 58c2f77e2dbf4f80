namespace Cema.Actors.Configuration;

/// <summary>
/// Replaces substitutions, concatenations and delayed merges in a fully merged tree.
/// Resolution is lazy and walks only what a lookup needs, so an object may refer to its own
/// fields (<c>bar { foo = 42, baz = ${bar.foo} }</c>) while a real cycle is still reported.
/// </summary>
internal sealed class Resolver
{
    private readonly ConfigObject _root;
    private readonly Func<string, string?> _environment;
    private readonly bool _lenient;

    // Keyed by node identity: every unresolved node has exactly one home path in the parsed tree.
    private readonly Dictionary<ConfigValue, ConfigValue?> _shapes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ConfigValue, ConfigValue?> _full = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(ConfigDelayedMerge, int), ConfigValue?> _stacks = new();
    private readonly HashSet<ConfigValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly List<ConfigPath> _resolving = new();

    private Resolver(ConfigObject root, Func<string, string?> environment, bool lenient)
    {
        _root = root;
        _environment = environment;
        _lenient = lenient;
    }

    /// <param name="environment">Fallback for substitutions the tree does not define; empty counts as unset.</param>
    /// <param name="lenient">
    /// Turn an undefined required substitution into null instead of failing. Only for reading
    /// reference.conf's types on its own, where a default may rely on a key only the user supplies.
    /// </param>
    public static ConfigObject Resolve(ConfigObject root, Func<string, string?> environment, bool lenient = false)
    {
        if (root.IsResolved)
        {
            return root;
        }
        var resolver = new Resolver(root, environment, lenient);
        return (ConfigObject)resolver.Full(root, ConfigPath.Root)!;
    }

    /// <summary>
    /// The value a node at <paramref name="home"/> stands for, itself and all its children resolved;
    /// null when it is an undefined optional substitution and the key should not exist.
    /// </summary>
    private ConfigValue? Full(ConfigValue node, ConfigPath home)
    {
        if (node.IsResolved)
        {
            return node;
        }
        if (_full.TryGetValue(node, out var done))
        {
            return done;
        }
        var shape = Shape(node, home);
        ConfigValue? result;
        if (shape is null || shape.IsResolved)
        {
            result = shape;
        }
        else
        {
            // An object or list reached again while its own children are being resolved is a cycle.
            if (!_inProgress.Add(shape))
            {
                throw Cycle(home, shape.Origin);
            }
            try
            {
                result = shape switch
                {
                    ConfigObject obj => ResolveFields(obj, home),
                    ConfigList list => ResolveItems(list, home),
                    _ => throw new InvalidOperationException($"{shape.Describe()} is still unresolved after resolving its shape"),
                };
            }
            finally
            {
                _inProgress.Remove(shape);
            }
        }
        _full[node] = result;
        _full[shape ?? node] = result;
        return result;
    }

    private ConfigObject ResolveFields(ConfigObject obj, ConfigPath home)
    {
        var resolved = obj;
        foreach (var key in obj.Keys)
        {
            var child = Full(obj[key], home.Append(key));
            resolved = child is null ? resolved.Without(key) : resolved.With(key, child);
        }
        return resolved;
    }

    private ConfigList ResolveItems(ConfigList list, ConfigPath home)
    {
        var items = new List<ConfigValue>();
        foreach (var item in list.Items)
        {
            // A list element has no path of its own, so it cannot refer to "itself".
            var shape = ShapeWithFrame(item, new Frame(null, null));
            var resolved = shape is null ? null : Full(shape, home);
            if (resolved is not null)
            {
                items.Add(resolved);
            }
        }
        return new ConfigList(items, list.Origin);
    }

    /// <summary>Resolves just enough to know what kind of value a node is; children may stay unresolved.</summary>
    private ConfigValue? Shape(ConfigValue node, ConfigPath home)
    {
        if (node is ConfigObject or ConfigList || node.IsResolved)
        {
            return node;
        }
        if (_shapes.TryGetValue(node, out var known))
        {
            return known;
        }
        if (!_inProgress.Add(node))
        {
            throw Cycle(home, node.Origin);
        }
        _resolving.Add(home);
        try
        {
            var result = node is ConfigDelayedMerge merge
                ? Stack(merge, 0, home)
                : ShapeWithFrame(node, new Frame(home, null));
            _shapes[node] = result;
            return result;
        }
        finally
        {
            _inProgress.Remove(node);
            _resolving.RemoveAt(_resolving.Count - 1);
        }
    }

    /// <summary>
    /// The value of a delayed merge from position <paramref name="index"/> down. Element i is
    /// evaluated with the elements below it as "the previous value" of its key, which is what a
    /// self-reference (<c>a = ${a} [x]</c>, <c>a += x</c>) must see.
    /// </summary>
    private ConfigValue? Stack(ConfigDelayedMerge merge, int index, ConfigPath home)
    {
        if (index >= merge.Stack.Length)
        {
            return null;
        }
        if (_stacks.TryGetValue((merge, index), out var known))
        {
            return known;
        }
        var frame = new Frame(home, () => Stack(merge, index + 1, home));
        var top = ShapeWithFrame(merge.Stack[index], frame);
        ConfigValue? result;
        if (top is null)
        {
            result = Stack(merge, index + 1, home);
        }
        else if (top is ConfigObject topObject && Stack(merge, index + 1, home) is ConfigObject below)
        {
            result = ConfigMerge.MergeObjects(topObject, below);
        }
        else
        {
            result = top;
        }
        _stacks[(merge, index)] = result;
        return result;
    }

    private ConfigValue? ShapeWithFrame(ConfigValue node, Frame frame) => node switch
    {
        ConfigSubstitution s => Substitute(s, frame),
        ConfigConcatenation c => ConfigConcatenation.Fold(
            c.Parts.Select(p => p is ConfigSubstitution s ? EmptyIfNull(Substitute(s, frame), s) : ShapeWithFrame(p, frame)).ToList(),
            c.Origin,
            frame.Home is null ? "a list element" : $"key '{frame.Home}'"),
        ConfigDelayedMerge m => Shape(m, frame.Home ?? ConfigPath.Root),
        _ => node,
    };

    /// <summary>The spec: a null substituted into a concatenation becomes "", not "null".</summary>
    private static ConfigValue? EmptyIfNull(ConfigValue? value, ConfigSubstitution s) =>
        value is ConfigNull ? new ConfigString("", s.Origin) : value;

    private ConfigValue? Substitute(ConfigSubstitution s, Frame frame)
    {
        var value = Lookup(s.Path, frame);
        if (value is null && s.PrefixLength > 0)
        {
            value = Lookup(s.WrittenPath, frame);
        }
        if (value is null)
        {
            var name = s.WrittenPath.ToPlainString();
            var env = _environment(name);
            if (!string.IsNullOrEmpty(env))
            {
                value = new ConfigString(env, s.Origin);
            }
        }
        if (value is null)
        {
            if (s.Optional)
            {
                return null;
            }
            if (_lenient)
            {
                return new ConfigNull(s.Origin);
            }
            var user = frame.Home is null ? "a list element" : $"'{frame.Home}'";
            throw new ConfigException(
                $"{s.Origin}: could not resolve substitution ${{{s.WrittenPath}}} used by {user}: " +
                $"no value at path '{s.WrittenPath}' and no environment variable '{s.WrittenPath.ToPlainString()}' (use ${{?…}} if it may be absent)",
                path: s.WrittenPath.ToString(),
                origin: s.Origin);
        }
        // A substituted scalar reports the line that used it: that is where a person set this key.
        return value is ConfigObject ? value : value.WithOrigin(s.Origin);
    }

    /// <summary>Finds the fully resolved value at <paramref name="path"/>, or null when nothing is there.</summary>
    private ConfigValue? Lookup(ConfigPath path, Frame frame)
    {
        ConfigValue? current;
        ConfigPath at;
        int start;
        if (frame.Home is not null && path.StartsWith(frame.Home))
        {
            // A reference into the key being defined means its previous value.
            current = frame.Below?.Invoke();
            at = frame.Home;
            start = frame.Home.Count;
        }
        else
        {
            current = _root;
            at = ConfigPath.Root;
            start = 0;
        }
        for (var i = start; i < path.Count; i++)
        {
            if (current is null)
            {
                return null;
            }
            current = Shape(current, at);
            if (current is not ConfigObject obj || !obj.TryGetValue(path[i], out var child))
            {
                return null;
            }
            current = child;
            at = at.Append(path[i]);
        }
        return current is null ? null : Full(current, at);
    }

    private ConfigException Cycle(ConfigPath home, ConfigOrigin origin)
    {
        var chain = string.Join(" -> ", _resolving.Append(home).Select(p => $"'{p}'"));
        return new ConfigException(
            $"{origin}: substitution cycle while resolving '{home}': {chain}",
            path: home.ToString(),
            origin: origin);
    }

    /// <summary>The key whose value is being computed, and that key's value before this assignment.</summary>
    private sealed record Frame(ConfigPath? Home, Func<ConfigValue?>? Below);
}
