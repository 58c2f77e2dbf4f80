using System.Text;
using System.Text.RegularExpressions;

namespace Cema.Actors.Configuration;

/// <summary>
/// Splits HOCON text into tokens. Comments are dropped here (the newline that ends them is kept,
/// since newlines separate fields); everything else, whitespace included, reaches the parser.
/// </summary>
internal sealed partial class Lexer
{
    // Characters the spec reserves; an unquoted string stops at them, and most may not appear bare at all.
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly string _source;
    private int _pos;
    private int _line;
    private int _column;

    public Lexer(string text, string source, int firstLine = 1, int firstColumn = 1)
    {
        _text = text;
        _source = source;
        _line = firstLine;
        _column = firstColumn;
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _pos = 1;
        }
    }

    [GeneratedRegex(@"\G-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    private static partial Regex JsonNumber();

    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            var token = Next();
            if (token is null)
            {
                continue;
            }
            tokens.Add(token);
            if (token.Kind == TokenKind.EndOfFile)
            {
                return tokens;
            }
        }
    }

    internal static bool IsWhitespace(char c) =>
        c != '\n' && (char.IsWhiteSpace(c) || c is '\uFEFF' or >= '\u001C' and <= '\u001F');

    /// <summary>The next token, or null when a comment was skipped.</summary>
    private Token? Next()
    {
        if (_pos >= _text.Length)
        {
            return Make(TokenKind.EndOfFile, "", _line, _column);
        }
        var c = _text[_pos];
        var line = _line;
        var column = _column;

        if (c == '\n')
        {
            Advance(1);
            return Make(TokenKind.Newline, "\n", line, column);
        }
        if (IsWhitespace(c))
        {
            var start = _pos;
            while (_pos < _text.Length && IsWhitespace(_text[_pos]))
            {
                Advance(1);
            }
            return Make(TokenKind.Whitespace, _text[start.._pos], line, column);
        }
        if (c == '#' || StartsWith("//"))
        {
            while (_pos < _text.Length && _text[_pos] != '\n')
            {
                Advance(1);
            }
            return null;
        }
        switch (c)
        {
            case '"':
                return StartsWith("\"\"\"") ? ReadTripleQuoted(line, column) : ReadQuoted(line, column);
            case '{':
                return Punctuation(TokenKind.OpenBrace, line, column);
            case '}':
                return Punctuation(TokenKind.CloseBrace, line, column);
            case '[':
                return Punctuation(TokenKind.OpenBracket, line, column);
            case ']':
                return Punctuation(TokenKind.CloseBracket, line, column);
            case ',':
                return Punctuation(TokenKind.Comma, line, column);
            case ':':
                return Punctuation(TokenKind.Colon, line, column);
            case '=':
                return Punctuation(TokenKind.Equals, line, column);
            case '+' when StartsWith("+="):
                Advance(2);
                return Make(TokenKind.PlusEquals, "+=", line, column);
            case '$' when StartsWith("${"):
                return ReadSubstitution(line, column);
        }
        if (Forbidden.Contains(c))
        {
            throw Error(line, column,
                $"unexpected character '{c}' (it is reserved in HOCON; put the value in double quotes to use it in a string)");
        }
        if (c == '-' || char.IsAsciiDigit(c))
        {
            var match = JsonNumber().Match(_text, _pos);
            if (match.Success && match.Length > 0 && (match.Length > 1 || c != '-'))
            {
                Advance(match.Length);
                return Make(TokenKind.Number, match.Value, line, column);
            }
        }
        foreach (var (word, kind) in Keywords)
        {
            // Only the start of an unquoted run is checked: "truefoo" is true then "foo", "footrue" is one string.
            if (StartsWith(word))
            {
                Advance(word.Length);
                return Make(kind, word, line, column);
            }
        }
        return ReadUnquoted(line, column);
    }

    private static readonly (string Word, TokenKind Kind)[] Keywords =
    {
        ("true", TokenKind.True), ("false", TokenKind.False), ("null", TokenKind.Null),
    };

    private Token ReadUnquoted(int line, int column)
    {
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n' || IsWhitespace(c) || Forbidden.Contains(c) || StartsWith("//"))
            {
                break;
            }
            Advance(1);
        }
        return Make(TokenKind.UnquotedText, _text[start.._pos], line, column);
    }

    private Token ReadQuoted(int line, int column)
    {
        Advance(1);
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                throw Error(line, column, "unterminated quoted string: expected a closing '\"' before the end of the line (use \"\"\"…\"\"\" for multi-line text)");
            }
            var c = _text[_pos];
            if (c == '"')
            {
                Advance(1);
                return Make(TokenKind.QuotedString, value.ToString(), line, column);
            }
            if (c != '\\')
            {
                value.Append(c);
                Advance(1);
                continue;
            }
            var escapeLine = _line;
            var escapeColumn = _column;
            Advance(1);
            if (_pos >= _text.Length)
            {
                throw Error(escapeLine, escapeColumn, "unterminated escape sequence at the end of input");
            }
            var e = _text[_pos];
            Advance(1);
            switch (e)
            {
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                case '/': value.Append('/'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.AsSpan(_pos, 4), System.Globalization.NumberStyles.HexNumber, null, out var code))
                    {
                        throw Error(escapeLine, escapeColumn, "expected four hex digits after \\u");
                    }
                    value.Append((char)code);
                    Advance(4);
                    break;
                default:
                    throw Error(escapeLine, escapeColumn, $"invalid escape '\\{e}' in quoted string (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    private Token ReadTripleQuoted(int line, int column)
    {
        Advance(3);
        var start = _pos;
        var end = _text.IndexOf("\"\"\"", _pos, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error(line, column, "unterminated triple-quoted string: expected a closing \"\"\"");
        }
        // Quotes beyond the closing three belong to the string ("""a"""" is a" plus the close).
        while (end + 3 < _text.Length && _text[end + 3] == '"')
        {
            end++;
        }
        Advance(end - start + 3);
        return Make(TokenKind.QuotedString, _text[start..end], line, column);
    }

    private Token ReadSubstitution(int line, int column)
    {
        Advance(2);
        var optional = false;
        if (_pos < _text.Length && _text[_pos] == '?')
        {
            optional = true;
            Advance(1);
        }
        var innerLine = _line;
        var innerColumn = _column;
        var start = _pos;
        var inQuotes = false;
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
            {
                throw Error(line, column, "unterminated substitution: expected '}' to close '${'");
            }
            var c = _text[_pos];
            if (inQuotes && c == '\\')
            {
                Advance(2);
                continue;
            }
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == '}' && !inQuotes)
            {
                break;
            }
            Advance(1);
        }
        var inner = _text[start.._pos];
        Advance(1);
        var path = ConfigPath.Parse(inner, _source, innerLine, innerColumn);
        return Make(TokenKind.Substitution, "${" + (optional ? "?" : "") + inner + "}", line, column) with
        {
            SubstitutionPath = path,
            Optional = optional,
        };
    }

    private Token Punctuation(TokenKind kind, int line, int column)
    {
        var text = _text[_pos].ToString();
        Advance(1);
        return Make(kind, text, line, column);
    }

    private Token Make(TokenKind kind, string text, int line, int column) => new(kind, text, _source, line, column);

    private bool StartsWith(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

    private void Advance(int count)
    {
        for (var i = 0; i < count && _pos < _text.Length; i++)
        {
            if (_text[_pos] == '\n')
            {
                _line++;
                _column = 1;
            }
            else
            {
                _column++;
            }
            _pos++;
        }
    }

    private ConfigException Error(int line, int column, string message) =>
        new($"{_source}:{line}:{column}: {message}", origin: new ConfigOrigin(_source, line));
}
