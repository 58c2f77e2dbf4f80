namespace Cema.Actors.Configuration;

/// <summary>
/// Every configuration failure: syntax, a missing or mistyped key, an unresolved substitution,
/// a conflict with reference.conf. The message alone must let a person fix the file, so it always
/// names the key path and/or file:line; the properties repeat them for programs.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message, string? path = null, ConfigOrigin? origin = null, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
        Origin = origin;
    }

    /// <summary>The full key path involved, when there is one.</summary>
    public string? Path { get; }

    /// <summary>Where the offending text is, when it is known.</summary>
    public ConfigOrigin? Origin { get; }
}
