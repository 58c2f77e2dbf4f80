using System.Collections.Immutable;
using System.Text;

namespace Cema.Actors.Configuration;

/// <summary>
/// A key path such as <c>cema.edge."host.name"</c>: segments, not a dotted string, because a
/// quoted segment may itself contain dots.
/// </summary>
public sealed class ConfigPath : IEquatable<ConfigPath>
{
    public static readonly ConfigPath Root = new(ImmutableArray<string>.Empty);

    private readonly ImmutableArray<string> _segments;

    public ConfigPath(IEnumerable<string> segments) => _segments = segments.ToImmutableArray();

    private ConfigPath(ImmutableArray<string> segments) => _segments = segments;

    public int Count => _segments.Length;

    public string this[int index] => _segments[index];

    public IReadOnlyList<string> Segments => _segments;

    public ConfigPath Append(string segment) => new(_segments.Add(segment));

    public ConfigPath Append(ConfigPath other) => new(_segments.AddRange(other._segments));

    public ConfigPath Skip(int count) => new(_segments.RemoveRange(0, Math.Min(count, _segments.Length)));

    public ConfigPath Take(int count) => new(_segments.RemoveRange(count, _segments.Length - count));

    public bool StartsWith(ConfigPath prefix) =>
        prefix.Count <= Count && Enumerable.Range(0, prefix.Count).All(i => _segments[i] == prefix._segments[i]);

    /// <summary>Parses a path expression with the HOCON key rules (dots split unquoted text only).</summary>
    public static ConfigPath Parse(string expression) => Parse(expression, "path", 1, 1);

    internal static ConfigPath Parse(string expression, string source, int line, int column)
    {
        var tokens = new Lexer(expression, source, line, column).Tokenize();
        var builder = new PathBuilder();
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.Whitespace or TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number
                    or TokenKind.True or TokenKind.False or TokenKind.Null:
                    builder.Add(token);
                    break;
                case TokenKind.EndOfFile:
                    return builder.Build(token, what: "path");
                default:
                    throw new ConfigException(
                        $"{token.Position}: invalid path '{expression}': {token.Describe()} cannot appear in a path (quote the segment)",
                        origin: token.Origin);
            }
        }
        throw new InvalidOperationException("the lexer always ends with EndOfFile");
    }

    /// <summary>The path as it would be written in a file, quoting segments that need it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var segment in _segments)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }
            text.Append(ConfigRenderer.RenderKey(segment));
        }
        return text.ToString();
    }

    /// <summary>Segments joined with dots, unquoted: the name an environment-variable fallback looks up.</summary>
    internal string ToPlainString() => string.Join('.', _segments);

    public bool Equals(ConfigPath? other) => other is not null && _segments.SequenceEqual(other._segments);

    public override bool Equals(object? obj) => Equals(obj as ConfigPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var s in _segments)
        {
            hash.Add(s);
        }
        return hash.ToHashCode();
    }
}
