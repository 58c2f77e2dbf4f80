namespace Cema.Actors.Configuration;

/// <summary>
/// Builds an unresolved value tree from tokens. Duplicate keys and includes are merged here;
/// substitutions are left in place for <see cref="Resolver"/>, because they may refer to keys that
/// a later file or override has not contributed yet.
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private readonly IncludeLoader _includes;
    private readonly ConfigPath _prefix;
    private int _index;

    private Parser(List<Token> tokens, IncludeLoader includes, ConfigPath prefix)
    {
        _tokens = tokens;
        _includes = includes;
        _prefix = prefix;
    }

    /// <summary>
    /// Parses a whole document. <paramref name="prefix"/> is where the document is included: its
    /// substitutions and <c>+=</c> are made absolute against it, as the spec's include fix-up requires.
    /// </summary>
    public static ConfigObject ParseDocument(string text, string source, IncludeLoader includes, ConfigPath prefix)
    {
        var parser = new Parser(new Lexer(text, source).Tokenize(), includes, prefix);
        return parser.ParseRoot();
    }

    /// <summary>Parses text that must be exactly one value, such as the right side of <c>--set a.b=v</c>.</summary>
    public static ConfigValue ParseValue(string text, string source, IncludeLoader includes)
    {
        var parser = new Parser(new Lexer(text, source).Tokenize(), includes, ConfigPath.Root);
        parser.SkipWhitespaceAndNewlines();
        var value = parser.ParseValueParts(null, "the value");
        parser.SkipWhitespaceAndNewlines();
        parser.Expect(TokenKind.EndOfFile, "the end of the value");
        return value;
    }

    private ConfigObject ParseRoot()
    {
        SkipWhitespaceAndNewlines();
        var first = Peek();
        if (first.Kind == TokenKind.OpenBracket)
        {
            throw Error(first, "the root of a config file must be an object, not a list");
        }
        ConfigObject root;
        if (first.Kind == TokenKind.OpenBrace)
        {
            Consume();
            root = ParseObjectBody(_prefix, first);
            SkipWhitespaceAndNewlines();
            Expect(TokenKind.EndOfFile, "the end of the file after the root object's closing '}'");
        }
        else
        {
            root = ParseObjectBody(_prefix, open: null);
        }
        return root;
    }

    /// <summary>
    /// Fields until the closing brace (or end of input when the root braces are omitted).
    /// <paramref name="path"/> is this object's absolute path, or null inside a list where no path reaches.
    /// </summary>
    private ConfigObject ParseObjectBody(ConfigPath? path, Token? open)
    {
        var result = new ConfigObject(open?.Origin ?? Peek().Origin);
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var t = Peek();
            if (t.Kind == TokenKind.CloseBrace)
            {
                if (open is null)
                {
                    throw Error(t, "unbalanced '}': there is no '{' for it to close");
                }
                Consume();
                return result;
            }
            if (t.Kind == TokenKind.EndOfFile)
            {
                if (open is not null)
                {
                    throw Error(t, $"expected '}}' to close the object opened at line {open.Line}:{open.Column} but found the end of input");
                }
                return result;
            }
            if (t.Kind == TokenKind.Comma)
            {
                throw Error(t, "unexpected ',' (a comma must follow a field, and only one is allowed)");
            }

            var field = t.Kind == TokenKind.UnquotedText && t.Text == "include"
                ? ParseInclude(path ?? ConfigPath.Root)
                : ParseField(path);
            result = ConfigMerge.MergeObjects(field, result);

            SkipSeparator(TokenKind.CloseBrace, "a field", "'}'");
        }
    }

    /// <summary>
    /// After a field or list element: a comma, a newline, or both. A comma may also start the next
    /// line, because JSON written that way must stay valid HOCON.
    /// </summary>
    private void SkipSeparator(TokenKind closing, string after, string closingName)
    {
        var sawNewline = false;
        while (Peek().Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            sawNewline |= Consume().Kind == TokenKind.Newline;
        }
        var t = Peek();
        if (t.Kind == TokenKind.Comma)
        {
            Consume();
            SkipWhitespaceAndNewlines();
            if (Peek().Kind == TokenKind.Comma)
            {
                throw Error(Peek(), "two commas in a row");
            }
            return;
        }
        if (sawNewline || t.Kind == closing || t.Kind == TokenKind.EndOfFile)
        {
            return;
        }
        throw Error(t, $"expected ',', a newline or {closingName} after {after} but found {t.Describe()}");
    }

    private ConfigObject ParseField(ConfigPath? objectPath)
    {
        var keyStart = Peek();
        var builder = new PathBuilder();
        while (Peek().Kind is TokenKind.Whitespace or TokenKind.QuotedString or TokenKind.UnquotedText
               or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null)
        {
            builder.Add(Consume());
        }
        var separator = Peek();
        if (separator.Kind == TokenKind.Substitution)
        {
            throw Error(separator, "substitutions are not allowed in keys");
        }
        var key = builder.Build(separator, "key");
        var fieldPath = objectPath?.Append(key);
        var where = $"key '{key}'";

        ConfigValue value;
        switch (separator.Kind)
        {
            case TokenKind.Colon or TokenKind.Equals:
                Consume();
                SkipWhitespaceAndNewlines();
                value = ParseValueParts(fieldPath, $"the value of {where}");
                break;
            case TokenKind.OpenBrace:
                value = ParseValueParts(fieldPath, $"the value of {where}");
                break;
            case TokenKind.PlusEquals:
                if (fieldPath is null)
                {
                    throw Error(separator, "'+=' is not supported inside a list, where a field has no path to append to");
                }
                Consume();
                SkipWhitespaceAndNewlines();
                var appended = ParseValueParts(fieldPath, $"the value of {where}");
                // The spec defines `a += v` as `a = ${?a} [v]`; the self-reference sees a's earlier value.
                value = new ConfigConcatenation(
                    new ConfigValue[]
                    {
                        new ConfigSubstitution(fieldPath, optional: true, separator.Origin),
                        new ConfigList(new[] { appended }, appended.Origin),
                    },
                    separator.Origin);
                break;
            default:
                throw Error(separator, $"expected '=', ':', '+=' or '{{' after {where} but found {separator.Describe()}");
        }
        return ConfigObject.Nest(key, value, keyStart.Origin);
    }

    private ConfigObject ParseInclude(ConfigPath objectPath)
    {
        var keyword = Consume();
        SkipWhitespaceAndNewlines();
        var required = false;
        var wrappers = 0;
        var t = Peek();
        if (t.Kind == TokenKind.UnquotedText && t.Text.EndsWith('('))
        {
            Consume();
            foreach (var wrapper in t.Text.Split('(')[..^1])
            {
                switch (wrapper)
                {
                    case "required": required = true; break;
                    case "file": break;
                    case "classpath" or "url":
                        throw Error(t, $"include {wrapper}(…) is not supported; only files are (write include \"file.conf\" or include required(\"file.conf\"))");
                    default:
                        throw Error(t, $"expected required(\"…\") or file(\"…\") after include but found '{wrapper}('");
                }
                wrappers++;
            }
            SkipWhitespace();
        }
        var name = Peek();
        if (name.Kind != TokenKind.QuotedString)
        {
            throw Error(name, $"expected a quoted file name after include but found {name.Describe()}");
        }
        Consume();
        var closed = 0;
        while (closed < wrappers)
        {
            SkipWhitespace();
            var close = Peek();
            if (close.Kind != TokenKind.UnquotedText || close.Text.Any(c => c != ')') || closed + close.Text.Length > wrappers)
            {
                throw Error(close, $"expected ')' to close include's {(required ? "required(" : "file(")} but found {close.Describe()}");
            }
            closed += close.Text.Length;
            Consume();
        }
        return _includes.Load(name.Text, required, keyword, objectPath);
    }

    /// <summary>
    /// A value and anything concatenated to it on the same line. Parts that are all known are
    /// combined now so that errors point at the file; otherwise the combination waits for resolution.
    /// </summary>
    private ConfigValue ParseValueParts(ConfigPath? path, string what)
    {
        var start = Peek();
        var parts = new List<ConfigValue>();
        while (true)
        {
            var t = Peek();
            switch (t.Kind)
            {
                case TokenKind.Whitespace:
                    parts.Add(ConfigString.Separator(t.Text, t.Origin));
                    break;
                case TokenKind.QuotedString or TokenKind.UnquotedText:
                    parts.Add(new ConfigString(t.Text, t.Origin));
                    break;
                case TokenKind.Number:
                    parts.Add(new ConfigNumber(t.Text, t.Origin));
                    break;
                case TokenKind.True or TokenKind.False:
                    parts.Add(new ConfigBoolean(t.Kind == TokenKind.True, t.Origin));
                    break;
                case TokenKind.Null:
                    parts.Add(new ConfigNull(t.Origin));
                    break;
                case TokenKind.Substitution:
                    parts.Add(new ConfigSubstitution(_prefix.Append(t.SubstitutionPath!), t.Optional, t.Origin, _prefix.Count));
                    break;
                case TokenKind.OpenBrace:
                    Consume();
                    parts.Add(ParseObjectBody(path, t));
                    continue;
                case TokenKind.OpenBracket:
                    parts.Add(ParseList());
                    continue;
                default:
                    if (parts.All(p => p is ConfigString { IsSeparator: true }))
                    {
                        throw Error(t, $"expected {what} but found {t.Describe()}");
                    }
                    return Combine(parts, start.Origin, what);
            }
            Consume();
        }
    }

    private static ConfigValue Combine(List<ConfigValue> parts, ConfigOrigin origin, string what)
    {
        var meaningful = parts.Where(p => p is not ConfigString { IsSeparator: true }).ToList();
        if (meaningful.Count == 1)
        {
            return meaningful[0];
        }
        if (parts.All(p => p.IsResolved))
        {
            return ConfigConcatenation.Fold(parts, origin, what)!;
        }
        return new ConfigConcatenation(parts, origin);
    }

    private ConfigList ParseList()
    {
        var open = Consume();
        var items = new List<ConfigValue>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var t = Peek();
            switch (t.Kind)
            {
                case TokenKind.CloseBracket:
                    Consume();
                    return new ConfigList(items, open.Origin);
                case TokenKind.EndOfFile:
                    throw Error(t, $"expected ']' to close the list opened at line {open.Line}:{open.Column} but found the end of input");
                case TokenKind.Comma:
                    throw Error(t, "unexpected ',' (a comma must follow a list element, and only one is allowed)");
            }
            items.Add(ParseValueParts(null, "a list element"));
            SkipSeparator(TokenKind.CloseBracket, "a list element", "']'");
        }
    }

    private Token Peek() => _tokens[_index];

    private Token Consume() => _tokens[_index < _tokens.Count - 1 ? _index++ : _index];

    private void Expect(TokenKind kind, string what)
    {
        var t = Peek();
        if (t.Kind != kind)
        {
            throw Error(t, $"expected {what} but found {t.Describe()}");
        }
        Consume();
    }

    private void SkipWhitespace()
    {
        while (Peek().Kind == TokenKind.Whitespace)
        {
            Consume();
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek().Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            Consume();
        }
    }

    private static ConfigException Error(Token at, string message) => new($"{at.Position}: {message}", origin: at.Origin);
}
