namespace Cema.Actors.Runtime;

/// <summary>
/// Where an actor lives in its system's tree, e.g. <c>cema://demo/user/coordinator/distillers</c>.
/// Paths compare by their text, so two refs to the same place compare equal as paths even if
/// one of them outlived the actor (the ref, not the path, says which incarnation).
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    public const string Scheme = "cema";

    private readonly string _text;

    private ActorPath(string systemName, ActorPath? parent, string name)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        _text = parent is null ? $"{Scheme}://{systemName}" : $"{parent._text}/{name}";
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    public string SystemName { get; }

    /// <summary>The enclosing path; null only for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element; empty for the root.</summary>
    public string Name { get; }

    public int Depth { get; }


    public static ActorPath Root(string systemName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(systemName);
        return new ActorPath(systemName, null, "");
    }

    public ActorPath Child(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/'))
        {
            throw new ArgumentException($"An actor path element may not contain '/': '{name}'.", nameof(name));
        }
        return new ActorPath(SystemName, this, name);
    }

    public static ActorPath operator /(ActorPath path, string name) => path.Child(name);

    public bool Equals(ActorPath? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    public override string ToString() => _text;
}
