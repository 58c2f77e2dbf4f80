namespace Cema.Cli.Tests;

/// <summary>Every verb reads hocon/reference.conf &lt; --config &lt; CEMA__ env &lt; --set.</summary>
public class ConfigurationTests
{
    [Fact]
    public void Torch_threads_follow_set_over_environment()
    {
        var env = new Dictionary<string, string> { ["CEMA__torch__threads"] = "2" };
        var (code, stdout, stderr) = CliTests.RunCema(env, "version", "--set", "cema.torch.threads=1");
        Assert.True(code == 0, stderr);
        Assert.Contains("threads  1 ", stdout);

        (code, stdout, stderr) = CliTests.RunCema(env, "version");
        Assert.True(code == 0, stderr);
        Assert.Contains("threads  2 ", stdout);
    }

    [Fact]
    public void A_wrong_type_fails_naming_the_key_and_where_it_came_from()
    {
        var env = new Dictionary<string, string> { ["CEMA__torch__threads"] = "many" };
        var (code, _, stderr) = CliTests.RunCema(env, "version");
        Assert.Equal(2, code);
        Assert.Contains("cema.torch.threads", stderr);
        Assert.Contains("CEMA__torch__threads", stderr);
        Assert.Contains("reference.conf:", stderr);
    }

    [Fact]
    public void An_unknown_key_warns_and_the_verb_still_runs()
    {
        var (code, stdout, stderr) = CliTests.RunCema("version", "--set", "cema.torch.thread=1");
        Assert.Equal(0, code);
        Assert.Contains("unknown key 'cema.torch.thread'", stderr);
        Assert.Contains("LibTorch", stdout);
    }
}
