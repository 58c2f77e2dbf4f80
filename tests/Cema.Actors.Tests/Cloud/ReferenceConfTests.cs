using Cema.Actors.Cloud;
using Cema.Actors.Configuration;
using Cema.Actors.Distiller;
using Cema.Actors.Edge;
using Cema.Actors.Replay;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Evaluation;

namespace Cema.Actors.Tests.Cloud;

public sealed class ReferenceConfTests
{
    private static Config Load(params string[] sets) => ReferenceConfig.Load(sets);

    [Fact]
    public void The_actors_and_the_simulator_read_the_method_settings_from_the_same_keys()
    {
        var config = Load("cema.adapt.cloud.edge-lr=0.125", "cema.adapt.replay.replayed-per-step=40", "cema.adapt.selector.redundancy-epsilon=0.375");
        var simulation = SimulationSettings.FromConfig(config);

        Assert.Equal(0.125, simulation.Methods.Cloud.EdgeLearningRate);
        Assert.Equal(40, simulation.Methods.Replay.ReplayedPerStep);
        Assert.Equal(0.375, simulation.Methods.Selector.RedundancyEpsilon);
        Assert.Equal(simulation.Methods.Cloud, CloudCoordinatorSettings.FromConfig(config).Cloud);
        Assert.Equal(simulation.Methods.Replay, CloudCoordinatorSettings.FromConfig(config).Replay);
        Assert.Equal(simulation.Methods.Replay, ReplayActorSettings.FromConfig(config).Buffer);
        Assert.Equal(simulation.Methods.Selector, EdgeSettings.FromConfig(config, "e1", "g").Selector);
        Assert.Equal(simulation.Methods.Cloud.Renormalization, EdgeSettings.FromConfig(config, "e1", "g").Renormalization);
        Assert.False(EdgeSettings.FromConfig(Load("cema.adapt.cloud.renormalization=false"), "e1", "g").Renormalization);
    }

    [Fact]
    public void Reference_conf_reads_into_every_record()
    {
        var config = Load();
        var methods = MethodSettings.FromConfig(config);
        // EATA's selector is CEMA's released configuration: a fixed bound and the redundancy rule only.
        Assert.True(methods.EataSelector.ExcludeUnreliable && methods.EataSelector.ExcludeRedundant);
        Assert.False(methods.EataSelector.DynamicThreshold);
        Assert.False(methods.EataSelector.ExcludeLowInformative);
        // CEMA's keeps the paper's low-informative rule; its bound E_max (fixed or dynamic) is `cema tune`'s to switch.
        Assert.True(methods.Selector.ExcludeLowInformative);
        Assert.True(methods.Selector.Lambda > 0 && methods.Selector.EMinFraction > 0);
        Assert.Equal(64L * 1024 * 1024, methods.Replay.MaxBytes);
        // The official baselines normalize with batch statistics.
        Assert.False(methods.Tent.Renormalization);
        Assert.False(methods.Eata.Renormalization);
        Assert.True(methods.Cloud.ClassBalance);
        Assert.False(MethodSettings.FromConfig(Load("cema.adapt.cloud.class-balance=false")).Cloud.ClassBalance);

        var simulation = SimulationSettings.FromConfig(config);
        Assert.Equal(NormParamsEncoding.Fp16Delta, simulation.DownlinkEncoding);
        Assert.Equal(new SimulationSeeds(1, 2, 0), simulation.Seeds);

        Assert.Equal(new DistillerSettings(2), DistillerSettings.FromConfig(config));
        var edge = EdgeSettings.FromConfig(config, "e1", "g");
        Assert.Equal((0, false), (edge.UpdateDelay, edge.MeasureSource)); // a device never waits and runs no second network
        Assert.Equal(new EdgeSettings("e1", "g", edge.Selector).BehindGrace, edge.BehindGrace); // the record's default is reference.conf's
        Assert.Equal(256L * 1024 * 1024, ReplayActorSettings.FromConfig(config).MaxTotalBytes);
        var cloud = CloudCoordinatorSettings.FromConfig(config);
        Assert.True(cloud.SessionPerGroup);
        Assert.Equal(NormParamsEncoding.Fp16, cloud.Encoding);
        Assert.Equal(TimeSpan.FromMinutes(2), cloud.JobTimeout);
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
        var grace = Assert.Throws<ConfigException>(() => EdgeSettings.FromConfig(Load("cema.edge.behind-grace=0s"), "e1", "g"));
        Assert.Equal("cema.edge.behind-grace", grace.Path);
        var momentum = Assert.Throws<ConfigException>(() => MethodSettings.FromConfig(Load("cema.adapt.cloud.momentum=1.5")));
        Assert.Contains("'cema.adapt.cloud.momentum'", momentum.Message);
        Assert.Contains("must be in [0, 1)", momentum.Message);
        var lr = Assert.Throws<ConfigException>(() => MethodSettings.FromConfig(Load("cema.adapt.cloud.edge-lr=-1")));
        Assert.Equal("cema.adapt.cloud.edge-lr", lr.Path);
        Assert.Contains("'cema.adapt.cloud.edge-lr'", lr.Message);
        Assert.Contains("must be non-negative, but it is number -1", lr.Message);
        var floor = Assert.Throws<ConfigException>(() => MethodSettings.FromConfig(Load("cema.adapt.selector.e-min-fraction=1")));
        Assert.Equal("cema.adapt.selector.e-min-fraction", floor.Path);
        var replay = Assert.Throws<ConfigException>(() => MethodSettings.FromConfig(Load("cema.adapt.replay.new-per-step=0")));
        Assert.Equal("cema.adapt.replay.new-per-step", replay.Path);
        var delay = Assert.Throws<ConfigException>(() => SimulationSettings.FromConfig(Load("cema.eval.simulation.update-delay=0")));
        Assert.Equal("cema.eval.simulation.update-delay", delay.Path);
        var encoding = Assert.Throws<ConfigException>(() => SimulationSettings.FromConfig(Load("cema.eval.simulation.downlink-encoding=int8")));
        Assert.Contains("cema.eval.simulation.downlink-encoding", encoding.Message);
    }
}
