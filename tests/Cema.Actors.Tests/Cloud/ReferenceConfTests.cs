using Cema.Actors.Cloud;
using Cema.Actors.Configuration;
using Cema.Actors.Distiller;
using Cema.Actors.Edge;
using Cema.Actors.Replay;
using Cema.Models.Adaptation;

namespace Cema.Actors.Tests.Cloud;

public sealed class ReferenceConfTests
{
    private static Config Load(params string[] sets)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon", "reference.conf");
            if (File.Exists(candidate))
            {
                return ConfigLoader.Load(new ConfigLoadOptions { ReferenceFile = candidate, Environment = new Dictionary<string, string>(), Sets = sets }).Config;
            }
        }
        throw new FileNotFoundException("hocon/reference.conf not found above the test directory");
    }

    [Fact]
    public void ReferenceConfHoldsTheSameDefaultsAsTheEdgeAndCloudSettingsRecords()
    {
        var config = Load();
        Assert.Equal(CloudCoordinatorSettings.Default, CloudCoordinatorSettings.FromConfig(config));
        Assert.Equal(DistillerSettings.Default, DistillerSettings.FromConfig(config));
        Assert.Equal(ReplayActorSettings.Default, ReplayActorSettings.FromConfig(config));
        Assert.Equal(EdgeSettings.For("e1", "g"), EdgeSettings.FromConfig(config, "e1", "g"));
    }

    [Fact]
    public void OverridesAreReadAndBadValuesNamed()
    {
        var config = Load("cema.cloud.session-per=edge", "cema.cloud.params-encoding=fp16-delta",
            "cema.cloud.distillers.router=round-robin-pool", "cema.cloud.distillers.pool-size=3", "cema.edge.update-delay=2", "cema.edge.measure-source=on");
        var cloud = CloudCoordinatorSettings.FromConfig(config);
        Assert.False(cloud.SessionPerGroup);
        Assert.Equal(NormParamsEncoding.Fp16Delta, cloud.Encoding);
        Assert.Equal(new DistillerSettings(3, RoundRobin: true), DistillerSettings.FromConfig(config));
        var edge = EdgeSettings.FromConfig(config, "e1", "g");
        Assert.Equal((2, true), (edge.UpdateDelay, edge.MeasureSource));

        var bad = Assert.Throws<ConfigException>(() => CloudCoordinatorSettings.FromConfig(Load("cema.cloud.params-encoding=int8")));
        Assert.Contains("params-encoding", bad.Message);
        var negative = Assert.Throws<ConfigException>(() => EdgeSettings.FromConfig(Load("cema.edge.update-delay=-1"), "e1", "g"));
        Assert.Contains("cema.edge.update-delay", negative.Message);
    }
}
