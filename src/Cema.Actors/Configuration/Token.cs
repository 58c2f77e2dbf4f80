namespace Cema.Actors.Configuration;

internal enum TokenKind
{
    Whitespace,
    Newline,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    QuotedString,
    UnquotedText,
    Number,
    True,
    False,
    Null,
    Substitution,
    EndOfFile,
}

/// <summary>
/// One lexical token with its position. Whitespace is a token because value concatenation keeps
/// the whitespace between simple values ("2 minutes") and newlines separate fields.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, string Source, int Line, int Column)
{
    /// <summary>For <see cref="TokenKind.Substitution"/>: the path inside <c>${…}</c>.</summary>
    public ConfigPath? SubstitutionPath { get; init; }

    /// <summary>For <see cref="TokenKind.Substitution"/>: written <c>${?…}</c>.</summary>
    public bool Optional { get; init; }

    public string Position => $"{Source}:{Line}:{Column}";

    public ConfigOrigin Origin => new(Source, Line);

    /// <summary>How the token reads in an "expected X but found Y" message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of input",
        TokenKind.Newline => "a newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.QuotedString => $"quoted string {ConfigRenderer.Quote(Text)}",
        TokenKind.UnquotedText => $"'{Text}'",
        TokenKind.Number => $"number {Text}",
        TokenKind.Substitution => $"substitution ${{{(Optional ? "?" : "")}{SubstitutionPath}}}",
        _ => $"'{Text}'",
    };
}
