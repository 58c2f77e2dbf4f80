using Cema.Actors.Configuration;

namespace Cema.Actors.Tests.Configuration;

public class ConfigApiTests
{
    private static Config Parse(string text, string source = "demo.conf") => Config.ParseString(text, source, environment: _ => null);

    [Fact]
    public void WrongTypeNamesThePathTheOriginAndTheExpectedType()
    {
        var config = Parse("cema {\n  edge {\n    batch-size = abc\n  }\n}");
        var error = Assert.Throws<ConfigException>(() => config.GetInt("cema.edge.batch-size"));
        Assert.Contains("cema.edge.batch-size", error.Message);
        Assert.Contains("demo.conf:3", error.Message);
        Assert.Contains("an int", error.Message);
        Assert.Contains("\"abc\"", error.Message);
        Assert.Equal("cema.edge.batch-size", error.Path);
        Assert.Equal(new ConfigOrigin("demo.conf", 3), error.Origin);
    }

    [Fact]
    public void MissingKeyNamesThePath()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("cema.edge.x = 1").GetInt("cema.edge.batch-size"));
        Assert.Contains("Missing required config key 'cema.edge.batch-size'", error.Message);
    }

    [Fact]
    public void PathThroughANonObjectNamesWhereItStops()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("cema.edge = 3").GetInt("cema.edge.batch-size"));
        Assert.Contains("'cema.edge'", error.Message);
        Assert.Contains("demo.conf:1", error.Message);
    }

    [Fact]
    public void SyntaxErrorNamesFileLineColumnAndWhatWasExpected()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = 1\nb {\n  c 2\n}\n"));
        Assert.StartsWith("demo.conf:3:6: expected '=', ':', '+=' or '{' after key '\"c 2\"' but found a newline", error.Message);
    }

    [Fact]
    public void SyntaxErrorForMissingValue()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = 1\nb =\n"));
        Assert.Contains("demo.conf:3:1: expected the value of key 'b'", error.Message);
    }

    [Fact]
    public void UnterminatedStringNamesWhereItStarted()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = \"open\nb = 2"));
        Assert.Contains("demo.conf:1:5", error.Message);
        Assert.Contains("closing '\"'", error.Message);
    }

    [Fact]
    public void EveryValueRemembersItsLine()
    {
        var config = Parse("a = 1\n\nb {\n  c = [1,\n 2]\n}");
        Assert.Equal("demo.conf:1", config.GetValue("a").Origin.ToString());
        Assert.Equal("demo.conf:4", config.GetValue("b.c").Origin.ToString());
        Assert.Equal(5, Assert.IsType<ConfigList>(config.GetValue("b.c")).Items[1].Origin.Line);
    }

    [Theory]
    [InlineData("x = 3.5")]
    [InlineData("x = 3000000000")]
    [InlineData("x = true")]
    [InlineData("x = \"12a\"")]
    [InlineData("x = null")]
    [InlineData("x = [1]")]
    public void GetIntIsStrict(string text)
    {
        Assert.Throws<ConfigException>(() => Parse(text).GetInt("x"));
    }

    [Fact]
    public void ANegativeSeedIsRefusedWithItsKeyRatherThanWrappedAround()
    {
        var config = Parse("cema.train.seed = -3\ncema.eval.corruption-seed = \"9223372036854775807\"");
        var error = Assert.Throws<ConfigException>(() => config.GetSeed("cema.train.seed"));
        Assert.Contains("'cema.train.seed'", error.Message);
        Assert.Contains("a seed (a whole number from 0", error.Message);
        Assert.Equal(9223372036854775807UL, config.GetSeed("cema.eval.corruption-seed"));
    }

    [Fact]
    public void NumericStringsConvertBecauseEnvironmentValuesAreStrings()
    {
        var config = Parse("i = \"42\"\nd = \"2.5\"\nb = yes\nb2 = off");
        Assert.Equal(42, config.GetInt("i"));
        Assert.Equal(42L, config.GetLong("i"));
        Assert.Equal(2.5, config.GetDouble("d"));
        Assert.True(config.GetBool("b"));
        Assert.False(config.GetBool("b2"));
    }

    [Theory]
    [InlineData("x = maybe")]
    [InlineData("x = 1")]
    [InlineData("x = TRUE")]
    public void GetBoolIsStrict(string text)
    {
        Assert.Throws<ConfigException>(() => Parse(text).GetBool("x"));
    }

    [Fact]
    public void GetStringAcceptsScalarsButNotStructures()
    {
        var config = Parse("n = 8080\nb = true\no { }\nl = [a]\nz = null");
        Assert.Equal("8080", config.GetString("n"));
        Assert.Equal("true", config.GetString("b"));
        Assert.Throws<ConfigException>(() => config.GetString("o"));
        Assert.Throws<ConfigException>(() => config.GetString("l"));
        Assert.Throws<ConfigException>(() => config.GetString("z"));
    }

    [Fact]
    public void ListGettersCheckEveryElement()
    {
        var config = Parse("hosts = [a, \"b c\", 3]\nports = [1, 2, x]");
        Assert.Equal(new[] { "a", "b c", "3" }, config.GetStringList("hosts"));
        var error = Assert.Throws<ConfigException>(() => config.GetIntList("ports"));
        Assert.Contains("element 2", error.Message);
        Assert.Contains("'ports'", error.Message);
        Assert.Throws<ConfigException>(() => config.GetStringList("hosts.0"));
    }

    [Fact]
    public void GetConfigKeepsTheFullPathInErrors()
    {
        var edge = Parse("cema.edge { batch-size = abc, port = 1 }").GetConfig("cema.edge");
        Assert.Equal(new[] { "batch-size", "port" }, edge.Keys);
        Assert.Equal(1, edge.GetInt("port"));
        Assert.Contains("'cema.edge.batch-size'", Assert.Throws<ConfigException>(() => edge.GetInt("batch-size")).Message);
        Assert.Contains("'cema.edge.nope'", Assert.Throws<ConfigException>(() => edge.GetInt("nope")).Message);
    }

    [Fact]
    public void HasPathAndRoot()
    {
        var config = Parse("a.b = 1\nn = null");
        Assert.True(config.HasPath("a"));
        Assert.True(config.HasPath("a.b"));
        Assert.False(config.HasPath("a.c"));
        Assert.False(config.HasPath("a.b.c"));
        Assert.False(config.HasPath("n"));
        Assert.Equal(ConfigValueType.Object, config.Root["a"].Type);
    }

    [Fact]
    public void WithFallbackFillsMissingKeysAndMergesObjects()
    {
        var user = Parse("a { x = 1 }\nb = user", "user.conf");
        var reference = Parse("a { x = 0, y = 2 }\nb = ref\nc = 3", "reference.conf");
        var merged = user.WithFallback(reference);
        Assert.Equal(1, merged.GetInt("a.x"));
        Assert.Equal(2, merged.GetInt("a.y"));
        Assert.Equal("user", merged.GetString("b"));
        Assert.Equal(3, merged.GetInt("c"));
        Assert.Equal("reference.conf", merged.GetValue("a.y").Origin.Source);
        Assert.Equal(new[] { "a", "b", "c" }, merged.Keys);
    }
}
