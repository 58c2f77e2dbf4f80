using Cema.Actors.Configuration;

namespace Cema.Actors.Tests.Configuration;

public class SubstitutionTests
{
    private static Config Parse(string text, Dictionary<string, string>? env = null) =>
        Config.ParseString(text, "test.conf", environment: name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void SubstitutionMayLookForward()
    {
        var config = Parse("a = ${b.c}\nb.c = 7");
        Assert.Equal(7, config.GetInt("a"));
    }

    [Fact]
    public void SubstitutionSeesTheLastAssignedValue()
    {
        Assert.Equal(2, Parse("x = 1\na = ${x}\nx = 2").GetInt("a"));
    }

    [Fact]
    public void SubstitutionKeepsObjectsAndLists()
    {
        var config = Parse("base { t = 5s }\nedge = ${base}\nl = [1, 2]\nm = ${l}");
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetDuration("edge.t"));
        Assert.Equal(new[] { 1, 2 }, config.GetIntList("m"));
    }

    [Fact]
    public void ObjectMayReferToItsOwnFields()
    {
        Assert.Equal(42, Parse("bar { foo = 42, baz = ${bar.foo} }").GetInt("bar.baz"));
    }

    [Fact]
    public void ObjectSubstitutionMergesWithAnObjectOnTheSameLine()
    {
        var config = Parse("defaults { t = 1, r = 2 }\nedge = ${defaults} { r = 3 }");
        Assert.Equal(1, config.GetInt("edge.t"));
        Assert.Equal(3, config.GetInt("edge.r"));
    }

    [Fact]
    public void SubstitutionInsideAStringConcatenation()
    {
        Assert.Equal("http://edge:8080/v1", Parse("host = edge\nport = 8080\nurl = \"http://\"${host}\":\"${port}/v1").GetString("url"));
    }

    [Fact]
    public void OptionalSubstitutionReadsAnEnvironmentVariable()
    {
        var config = Parse("home = /default\nhome = ${?HOME_DIR}", new() { ["HOME_DIR"] = "/from/env" });
        Assert.Equal("/from/env", config.GetString("home"));
    }

    [Fact]
    public void RequiredSubstitutionFallsBackToTheEnvironment()
    {
        Assert.Equal("abc", Parse("t = ${TOKEN}", new() { ["TOKEN"] = "abc" }).GetString("t"));
    }

    [Fact]
    public void MissingOptionalSubstitutionLeavesThePreviousValue()
    {
        var config = Parse("home = /default\nhome = ${?HOME_DIR}\nother = ${?NOPE}");
        Assert.Equal("/default", config.GetString("home"));
        Assert.False(config.HasPath("other"));
    }

    [Fact]
    public void EmptyEnvironmentVariableCountsAsUnset()
    {
        Assert.Equal("d", Parse("x = d\nx = ${?E}", new() { ["E"] = "" }).GetString("x"));
    }

    [Fact]
    public void ConfigValueWinsOverTheEnvironment()
    {
        Assert.Equal("config", Parse("HOME = config\nh = ${HOME}", new() { ["HOME"] = "env" }).GetString("h"));
    }

    [Fact]
    public void UndefinedRequiredSubstitutionNamesThePathAndLine()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = 1\nb = ${cema.missing.key}"));
        Assert.Contains("cema.missing.key", error.Message);
        Assert.Contains("test.conf:2", error.Message);
        Assert.Contains("'b'", error.Message);
        Assert.Equal("cema.missing.key", error.Path);
    }

    [Fact]
    public void SelfReferenceAppendsToThePreviousValue()
    {
        Assert.Equal(new[] { 1, 2, 3, 4 }, Parse("path = [1, 2]\npath = ${path} [3, 4]").GetIntList("path"));
    }

    [Fact]
    public void SelfReferenceInsideANestedObject()
    {
        var config = Parse("a { list = [1] }\na { list = ${a.list} [2] }\na.s = x\na.s = ${a.s}y");
        Assert.Equal(new[] { 1, 2 }, config.GetIntList("a.list"));
        Assert.Equal("xy", config.GetString("a.s"));
    }

    [Fact]
    public void SelfReferenceWithNoPreviousValueIsUndefined()
    {
        Assert.Contains("${a}", Assert.Throws<ConfigException>(() => Parse("a = ${a}")).Message);
    }

    [Fact]
    public void PlusEqualsAppendsToAList()
    {
        Assert.Equal(new[] { "a", "b", "c" }, Parse("xs = [a]\nxs += b\nxs += c").GetStringList("xs"));
    }

    [Fact]
    public void PlusEqualsOnAMissingKeyStartsAList()
    {
        Assert.Equal(new[] { 5 }, Parse("o { xs += 5 }").GetIntList("o.xs"));
    }

    [Fact]
    public void PlusEqualsAcrossAnIncludedFileUsesTheFullPath()
    {
        using var dir = new TempDirectory();
        dir.Write("more.conf", "xs += 2\n");
        var main = dir.Write("main.conf", "o { xs = [1]\n include \"more.conf\" }\n");
        Assert.Equal(new[] { 1, 2 }, Config.ParseFile(main, _ => null).GetIntList("o.xs"));
    }

    [Fact]
    public void CycleIsReported()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("a = ${b}\nb = ${a}"));
        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void SubstitutedNullBecomesEmptyInAString()
    {
        Assert.Equal("ab", Parse("n = null\ns = a${n}b").GetString("s"));
    }

    [Fact]
    public void SubstitutionInAListElement()
    {
        Assert.Equal(new[] { "x", "y" }, Parse("v = y\nl = [x, ${v}]").GetStringList("l"));
    }
}
