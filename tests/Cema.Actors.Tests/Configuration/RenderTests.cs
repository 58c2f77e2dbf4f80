using Cema.Actors.Configuration;

namespace Cema.Actors.Tests.Configuration;

public class RenderTests
{
    [Fact]
    public void RenderShowsEachValueWithItsOrigin()
    {
        var config = Config.ParseString("cema {\n  edge.batch-size = 32\n  name = \"e1\"\n}", "demo.conf", environment: _ => null);
        var text = config.Render();
        Assert.Contains("batch-size = 32  # demo.conf:2", text);
        Assert.Contains("name = \"e1\"  # demo.conf:3", text);
    }

    [Fact]
    public void RenderedTextParsesBackToTheSameValues()
    {
        const string source = """
            a { b = 1, "odd key" = "q\"uote\n", list = [1, 2.5, true, null, x] }
            empty {}
            nested = [{ k = v }, [1, 2]]
            t = 10s
            """;
        var original = Config.ParseString(source, "src.conf", environment: _ => null);
        var reparsed = Config.ParseString(original.Render(), "rendered.conf", environment: _ => null);

        Assert.Equal(1, reparsed.GetInt("a.b"));
        Assert.Equal("q\"uote\n", reparsed.GetString("a.\"odd key\""));
        Assert.Equal(5, Assert.IsType<ConfigList>(reparsed.GetValue("a.list")).Items.Length);
        Assert.Empty(reparsed.GetConfig("empty").Keys);
        Assert.Equal("v", Assert.IsType<ConfigObject>(Assert.IsType<ConfigList>(reparsed.GetValue("nested")).Items[0])["k"].ToString());
        Assert.Equal(TimeSpan.FromSeconds(10), reparsed.GetDuration("t"));
        Assert.Equal(WithoutOrigins(original.Render()), WithoutOrigins(reparsed.Render()));
    }

    private static string WithoutOrigins(string rendered) =>
        System.Text.RegularExpressions.Regex.Replace(rendered, "  # [^\n]*", "");
}
