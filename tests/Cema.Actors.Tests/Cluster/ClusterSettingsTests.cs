using Cema.Actors.Cluster;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Configuration;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Cluster;

public sealed class ClusterSettingsTests
{
    private static Config Load(params string[] sets) => ReferenceConfig.Load(sets);

    [Fact]
    public void ReferenceConfDefinesTheClusterDefaultsAndTheLimitsRecordMatchesIt()
    {
        var settings = ClusterSettings.FromConfig(Load());
        Assert.Equal("cema", settings.Name);
        Assert.Equal(new Uri("amqp://guest:guest@127.0.0.1:5672/"), settings.Broker);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)), (settings.HeartbeatInterval, settings.UnreachableAfter, settings.RemoveAfter));
        Assert.Equal(WireLimits.Default, settings.Limits);
        Assert.Equal("cema.uploads", settings.Topology.Uploads);
        Assert.Equal("cema.node.e1.params", settings.Topology.NodeParams("e1"));
    }

    [Fact]
    public void BadValuesAreRefusedNamingTheKey()
    {
        Assert.Contains("cema.cluster.broker", Assert.Throws<ConfigException>(() => ClusterSettings.FromConfig(Load("cema.cluster.broker=\"http://x/\""))).Message);
        var order = Assert.Throws<ConfigException>(() => ClusterSettings.FromConfig(Load("cema.cluster.unreachable-after=500ms")));
        Assert.Contains("cema.cluster.unreachable-after", order.Message);
        Assert.Contains("cema.cluster.name", Assert.Throws<ConfigException>(() => ClusterSettings.FromConfig(Load("cema.cluster.name=\"a.b\""))).Message);
        Assert.Contains("cema.cluster.limits.upload", Assert.Throws<ConfigException>(() => ClusterSettings.FromConfig(Load("cema.cluster.limits.upload=0"))).Message);
    }
}
