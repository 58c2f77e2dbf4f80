namespace Cema.Actors.Configuration;

/// <summary>
/// Where a value was written: a file (or a pseudo-source such as an environment variable or a
/// <c>--set</c> argument) and a 1-based line. Every value carries one so that errors and
/// <c>cema config</c> can point a person at the line to change.
/// </summary>
public sealed record ConfigOrigin(string Source, int Line = 0)
{
    /// <summary>For values built in code, which no person can go and edit.</summary>
    public static readonly ConfigOrigin Code = new("code");

    public override string ToString() => Line > 0 ? $"{Source}:{Line}" : Source;
}
