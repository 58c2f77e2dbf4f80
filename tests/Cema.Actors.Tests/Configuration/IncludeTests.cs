using Cema.Actors.Configuration;

namespace Cema.Actors.Tests.Configuration;

public class IncludeTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void IncludeIsRelativeToTheIncludingFileNotTheWorkingDirectory()
    {
        using var dir = new TempDirectory();
        dir.Write("conf/shared/limits.conf", "max = 5\n");
        dir.Write("conf/shared/base.conf", "include \"limits.conf\"\nname = base\n");
        var main = dir.Write("conf/main.conf", "include \"shared/base.conf\"\nname = main\n");

        var config = Config.ParseFile(main, NoEnvironment);

        Assert.Equal(5, config.GetInt("max"));
        Assert.Equal("main", config.GetString("name"));
    }

    [Fact]
    public void IncludedKeysOverrideEarlierOnesAndLaterKeysOverrideIncludedOnes()
    {
        using var dir = new TempDirectory();
        dir.Write("inc.conf", "a = included\nb = included\n");
        var main = dir.Write("main.conf", "a = before\ninclude \"inc.conf\"\nb = after\n");

        var config = Config.ParseFile(main, NoEnvironment);

        Assert.Equal("included", config.GetString("a"));
        Assert.Equal("after", config.GetString("b"));
    }

    [Fact]
    public void IncludeInsideAnObjectNestsTheFileAndFixesUpItsSubstitutions()
    {
        using var dir = new TempDirectory();
        dir.Write("foo.conf", "x = 10\ny = ${x}\n");
        var main = dir.Write("main.conf", "a { include \"foo.conf\" }\na { x = 42 }\n");

        var config = Config.ParseFile(main, NoEnvironment);

        Assert.Equal(42, config.GetInt("a.y"));
        Assert.False(config.HasPath("x"));
    }

    [Fact]
    public void MissingPlainIncludeIsIgnored()
    {
        var config = Config.ParseString("include \"does-not-exist.conf\"\na = 1", baseDirectory: Path.GetTempPath(), environment: NoEnvironment);
        Assert.Equal(new[] { "a" }, config.Keys);
    }

    [Fact]
    public void MissingRequiredIncludeIsAnErrorNamingTheFileAndLine()
    {
        using var dir = new TempDirectory();
        var main = dir.Write("main.conf", "a = 1\ninclude required(\"missing.conf\")\n");

        var error = Assert.Throws<ConfigException>(() => Config.ParseFile(main, NoEnvironment));

        Assert.Contains("missing.conf", error.Message);
        Assert.Contains("main.conf:2:1", error.Message);
        Assert.Contains("required include", error.Message);
    }

    [Fact]
    public void RequiredIncludeThatExistsIsLoaded()
    {
        using var dir = new TempDirectory();
        dir.Write("there.conf", "b = 2");
        var main = dir.Write("main.conf", "include required( \"there.conf\" )\n");
        Assert.Equal(2, Config.ParseFile(main, NoEnvironment).GetInt("b"));
    }

    [Fact]
    public void IncludeCycleIsReported()
    {
        using var dir = new TempDirectory();
        dir.Write("a.conf", "include \"b.conf\"");
        dir.Write("b.conf", "include \"a.conf\"");
        var error = Assert.Throws<ConfigException>(() => Config.ParseFile(Path.Combine(dir.Path, "a.conf"), NoEnvironment));
        Assert.Contains("include cycle", error.Message);
    }

    [Fact]
    public void IncludedValuesRememberTheirOwnFile()
    {
        using var dir = new TempDirectory();
        dir.Write("inc.conf", "\n\nx = 1\n");
        var main = dir.Write("main.conf", "include \"inc.conf\"\n");
        var origin = Config.ParseFile(main, NoEnvironment).GetValue("x").Origin;
        Assert.EndsWith("inc.conf", origin.Source);
        Assert.Equal(3, origin.Line);
    }
}
