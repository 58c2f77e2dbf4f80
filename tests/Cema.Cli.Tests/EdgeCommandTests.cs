namespace Cema.Cli.Tests;

/// <summary><c>cema edge</c> refuses a bad stream, rate or frame count, naming the option and its key, before it loads a model or dials the broker.</summary>
public class EdgeCommandTests
{
    [Theory]
    [InlineData("foo:3", "0", "--stream (cema.cluster.edge.stream): unknown corruption 'foo'")]
    [InlineData("shot_noise:9", "0", "--stream (cema.cluster.edge.stream): shot_noise:9 has severity 9; severities are 1-5")]
    [InlineData("shot_noise", "0", "--stream (cema.cluster.edge.stream): 'shot_noise' is not a segment")]
    [InlineData("shot_noise:3", "-5", "--rate (cema.cluster.edge.frames-per-second) must be 0 (unpaced) or a positive number")]
    public void A_bad_option_fails_at_once_naming_it(string stream, string rate, string expected)
    {
        // Port 1 on loopback: were the options accepted, the edge would retry there until its connect timeout.
        var (code, stdout, stderr) = CliTests.RunCema("edge", "--id", "e1", "--stream", stream, "--rate", rate, "--broker", "amqp://guest:guest@127.0.0.1:1/");
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("RabbitMQ", stderr + stdout);
    }
}
