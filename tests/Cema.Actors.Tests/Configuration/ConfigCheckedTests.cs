using Cema.Actors.Configuration;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Configuration;

public class ConfigCheckedTests
{
    private sealed record Knobs(double EdgeLearningRate, int MaxNrOfRetries, int Other)
    {
        public Knobs Validate() =>
            EdgeLearningRate < 0 ? throw new ArgumentOutOfRangeException(nameof(EdgeLearningRate), EdgeLearningRate, "Knobs.EdgeLearningRate must be non-negative")
            : MaxNrOfRetries < -1 ? throw new ArgumentOutOfRangeException(nameof(MaxNrOfRetries), MaxNrOfRetries, "Knobs.MaxNrOfRetries must be -1 or more")
            : Other < 0 ? throw new ArgumentOutOfRangeException(nameof(Other), Other, "Knobs.Other must be non-negative")
            : this;
    }

    private static Knobs Read(string text)
    {
        var c = Config.ParseString(text, "knobs.conf", environment: _ => null).GetConfig("a.knobs");
        return c.Checked(() => new Knobs(c.GetDouble("edge-lr"), c.GetInt("nested.max-retries"), c.GetInt("n")).Validate());
    }

    [Fact]
    public void ARangeErrorNamesTheKeyItsOriginAndItsValueNotTheProperty()
    {
        var error = Assert.Throws<ConfigException>(() => Read("a.knobs {\n  edge-lr = -0.5\n  nested.max-retries = 1\n  n = 1\n}"));
        Assert.Equal("a.knobs.edge-lr", error.Path);
        Assert.Equal("Config key 'a.knobs.edge-lr' (set at knobs.conf:2) must be non-negative, but it is number -0.5", error.Message);
    }

    [Fact]
    public void AnAbbreviatedKeyIsFoundAtAnyDepth()
    {
        var error = Assert.Throws<ConfigException>(() => Read("a.knobs {\n  edge-lr = 1\n  nested.max-retries = -4\n  n = 1\n}"));
        Assert.Equal("a.knobs.nested.max-retries", error.Path);
        Assert.Contains("must be -1 or more, but it is number -4", error.Message);
    }

    [Fact]
    public void APropertyWithoutAKeyIsNamedWithItsSection()
    {
        var error = Assert.Throws<ConfigException>(() => Read("a.knobs {\n  edge-lr = 1\n  nested.max-retries = 1\n  n = -1\n}"));
        Assert.Equal("a.knobs", error.Path);
        Assert.Contains("Knobs.Other must be non-negative", error.Message);
        Assert.Equal(4, Read("a.knobs {\n  edge-lr = 1\n  nested.max-retries = 1\n  n = 4\n}").Other);
    }

    [Fact]
    public void RuntimeAndPoolSettingsNameTheirKeys()
    {
        var mailbox = Assert.Throws<ConfigException>(() => ActorSystemSettings.FromConfig(ReferenceConfig.Load("cema.runtime.mailbox.capacity=0")));
        Assert.Equal("cema.runtime.mailbox.capacity", mailbox.Path);
        var retries = Assert.Throws<ConfigException>(() => ActorSystemSettings.FromConfig(ReferenceConfig.Load("cema.runtime.supervision.max-retries=-5")));
        Assert.Equal("cema.runtime.supervision.max-retries", retries.Path);
        var pool = Assert.Throws<ConfigException>(() => Pool.FromConfig(ReferenceConfig.Load("cema.cloud.distillers.pool-size=0").GetConfig("cema.cloud.distillers")));
        Assert.Equal("cema.cloud.distillers.pool-size", pool.Path);
    }
}
