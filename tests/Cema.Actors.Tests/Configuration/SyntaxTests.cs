using Cema.Actors.Configuration;

namespace Cema.Actors.Tests.Configuration;

public class SyntaxTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static Config Parse(string text) => Config.ParseString(text, "test.conf", environment: NoEnvironment);

    [Fact]
    public void RootObjectWithBraces()
    {
        var config = Parse("{ a = 1, b = \"x\" }");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("x", config.GetString("b"));
    }

    [Fact]
    public void RootBracesMayBeOmitted()
    {
        var config = Parse("a = 1\nb = 2\n");
        Assert.Equal(new[] { "a", "b" }, config.Keys);
        Assert.Equal(2, config.GetInt("b"));
    }

    [Fact]
    public void EmptyDocumentIsAnEmptyObject()
    {
        Assert.Empty(Parse("  # nothing here\n").Keys);
    }

    [Fact]
    public void EqualsColonAndBraceSeparatorsAreEquivalent()
    {
        var config = Parse("a = 1\nb : 2\nc { d = 3 }\ne = { f = 4 }");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal(3, config.GetInt("c.d"));
        Assert.Equal(4, config.GetInt("e.f"));
    }

    [Fact]
    public void DottedKeysCreateNestedObjects()
    {
        var config = Parse("a.b.c = 1\na.b.d = 2");
        var b = Assert.IsType<ConfigObject>(config.GetValue("a.b"));
        Assert.Equal(new[] { "c", "d" }, b.Keys);
        Assert.Equal(2, config.GetInt("a.b.d"));
    }

    [Fact]
    public void QuotedKeySegmentKeepsItsDots()
    {
        var config = Parse("a.\"b.c\" = 1");
        Assert.Equal(1, config.GetInt("a.\"b.c\""));
        Assert.False(config.HasPath("a.b"));
    }

    [Fact]
    public void RepeatedObjectKeysMerge()
    {
        var config = Parse("a { x = 1, y = 1 }\na { y = 2, z = 3 }");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
        Assert.Equal(3, config.GetInt("a.z"));
    }

    [Fact]
    public void RepeatedNonObjectKeyLaterWins()
    {
        var config = Parse("a = 1\na = 2\nb = { x = 1 }\nb = 5");
        Assert.Equal(2, config.GetInt("a"));
        Assert.Equal(5, config.GetInt("b"));
    }

    [Fact]
    public void NullBetweenObjectsStopsTheMerge()
    {
        var config = Parse("a { x = 1 }\na = null\na { y = 2 }");
        Assert.False(config.HasPath("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void ListsAcceptCommasNewlinesAndOneTrailingComma()
    {
        var config = Parse("a = [1, 2, 3]\nb = [\n  1\n  2,\n  3,\n]\nc = []");
        Assert.Equal(new[] { 1, 2, 3 }, config.GetIntList("a"));
        Assert.Equal(new[] { 1, 2, 3 }, config.GetIntList("b"));
        Assert.Empty(config.GetIntList("c"));
    }

    [Theory]
    [InlineData("a = [1,,2]", "two commas in a row")]
    [InlineData("a = [,1]", "unexpected ','")]
    [InlineData("a = 1,,\nb = 2", "two commas in a row")]
    public void DoubleOrLeadingCommasAreErrors(string text, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void JsonIsValidHoconEvenWithCommasStartingLines()
    {
        var config = Parse("{\n  \"a\": 1\n  , \"b\": [1\n , 2]\n  , \"c\": {\"d\": null}\n}");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(new[] { 1, 2 }, config.GetIntList("b"));
        Assert.IsType<ConfigNull>(config.GetValue("c.d"));
    }

    [Fact]
    public void QuotedStringsUnescapeJsonEscapes()
    {
        var config = Parse("a = \"tab\\there \\\"q\\\" \\u00e9 # not a comment\"");
        Assert.Equal("tab\there \"q\" \u00e9 # not a comment", config.GetString("a"));
    }

    [Fact]
    public void UnquotedStringsAreLiteral()
    {
        var config = Parse("a = hello\nb = some/path.txt\nc = foo-bar_baz");
        Assert.Equal("hello", config.GetString("a"));
        Assert.Equal("some/path.txt", config.GetString("b"));
        Assert.Equal("foo-bar_baz", config.GetString("c"));
    }

    [Fact]
    public void TripleQuotedStringsSpanLinesWithoutEscapes()
    {
        var config = Parse("a = \"\"\"line one\nline \"two\" \\n\"\"\"\nb = 1");
        Assert.Equal("line one\nline \"two\" \\n", config.GetString("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void ExtraQuotesBeforeTripleCloseBelongToTheString()
    {
        Assert.Equal("x\"", Parse("a = \"\"\"x\"\"\"\"").GetString("a"));
    }

    [Fact]
    public void NumbersKeepTheirSpellingAndType()
    {
        var config = Parse("i = 42\nn = -7\nd = 3.25\ne = 1e3\nbig = 9000000000");
        Assert.Equal(42, config.GetInt("i"));
        Assert.Equal(-7, config.GetInt("n"));
        Assert.Equal(3.25, config.GetDouble("d"));
        Assert.Equal(1000, config.GetInt("e"));
        Assert.Equal("1e3", Assert.IsType<ConfigNumber>(config.GetValue("e")).Text);
        Assert.Equal(9_000_000_000L, config.GetLong("big"));
    }

    [Fact]
    public void BooleansAndNull()
    {
        var config = Parse("t = true\nf = false\nn = null");
        Assert.True(config.GetBool("t"));
        Assert.False(config.GetBool("f"));
        Assert.IsType<ConfigNull>(config.GetValue("n"));
        Assert.False(config.HasPath("n"));
    }

    [Fact]
    public void HashAndDoubleSlashCommentsAreIgnored()
    {
        var config = Parse("# heading\na = 1 # trailing\n// another\nb = 2 // trailing\nc = \"// kept\"");
        Assert.Equal(new[] { "a", "b", "c" }, config.Keys);
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal("// kept", config.GetString("c"));
    }

    [Fact]
    public void SimpleValuesOnOneLineConcatenateKeepingInnerWhitespace()
    {
        var config = Parse("a = foo bar   baz \nb = 10s\nc = \"x\"y\nd = true story");
        Assert.Equal("foo bar   baz", config.GetString("a"));
        Assert.Equal("10s", config.GetString("b"));
        Assert.Equal("xy", config.GetString("c"));
        Assert.Equal("true story", config.GetString("d"));
    }

    [Fact]
    public void ListsOnOneLineConcatenate()
    {
        Assert.Equal(new[] { 1, 2, 3 }, Parse("a = [1] [2, 3]").GetIntList("a"));
    }

    [Fact]
    public void ConcatenatingAListWithAStringIsAnError()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = [1] x"));
        Assert.Contains("cannot concatenate", error.Message);
        Assert.Contains("test.conf:1", error.Message);
    }

    [Fact]
    public void ReservedCharacterInUnquotedTextIsASyntaxError()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = 1\nb = x@y"));
        Assert.Contains("test.conf:2:6", error.Message);
        Assert.Contains("'@'", error.Message);
    }

    [Fact]
    public void UnbalancedBracesAreErrors()
    {
        Assert.Contains("expected '}'", Assert.Throws<ConfigException>(() => Parse("a { b = 1")).Message);
        Assert.Contains("unbalanced '}'", Assert.Throws<ConfigException>(() => Parse("a = 1\n}")).Message);
    }

    [Fact]
    public void RootListIsRejected()
    {
        Assert.Contains("must be an object", Assert.Throws<ConfigException>(() => Parse("[1, 2]")).Message);
    }
}
