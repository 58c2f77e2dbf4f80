namespace Cema.Actors.Configuration;

/// <summary>
/// A warning about the configuration that should not stop the process, such as a key that
/// reference.conf does not define (usually a typo, which would otherwise be silently ignored).
/// </summary>
/// <param name="Path">The key path concerned, or the source's name when no path applies.</param>
public sealed record ConfigDiagnostic(string Path, ConfigOrigin Origin, string Message)
{
    public override string ToString() => $"{Origin}: {Message}";
}
