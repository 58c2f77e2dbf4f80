using System.Text;

namespace Cema.Actors.Configuration;

/// <summary>
/// Turns the tokens of a key or substitution into path segments. Dots split unquoted text and
/// numbers only, so <c>a."b.c"</c> is two segments and <c>10.0foo</c> is <c>10</c> and <c>0foo</c>,
/// as the spec requires; whitespace inside a key is kept (<c>a b = 1</c> is key "a b").
/// </summary>
internal sealed class PathBuilder
{
    private readonly List<string> _segments = new();
    private readonly StringBuilder _current = new();
    private readonly List<Token> _pendingWhitespace = new();
    private bool _currentHasContent;
    private bool _any;

    public void Add(Token token)
    {
        if (token.Kind == TokenKind.Whitespace)
        {
            // Whitespace counts only between parts; leading and trailing whitespace is trimmed.
            if (_any)
            {
                _pendingWhitespace.Add(token);
            }
            return;
        }
        foreach (var ws in _pendingWhitespace)
        {
            _current.Append(ws.Text);
        }
        _pendingWhitespace.Clear();
        _any = true;

        if (token.Kind == TokenKind.QuotedString)
        {
            _current.Append(token.Text);
            _currentHasContent = true;
            return;
        }
        var pieces = token.Text.Split('.');
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                EndSegment(token);
            }
            _current.Append(pieces[i]);
            if (pieces[i].Length > 0)
            {
                _currentHasContent = true;
            }
        }
    }

    public bool IsEmpty => !_any;

    public ConfigPath Build(Token next, string what)
    {
        if (!_any)
        {
            throw new ConfigException($"{next.Position}: expected a {what} but found {next.Describe()}", origin: next.Origin);
        }
        EndSegment(next);
        return new ConfigPath(_segments);
    }

    private void EndSegment(Token at)
    {
        if (!_currentHasContent)
        {
            throw new ConfigException(
                $"{at.Position}: empty path segment (a '.' at the start or end, or '..'); quote an empty key as \"\"",
                origin: at.Origin);
        }
        _segments.Add(_current.ToString());
        _current.Clear();
        _currentHasContent = false;
    }
}
