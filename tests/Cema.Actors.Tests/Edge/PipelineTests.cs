using Cema.Actors.Cloud;
using Cema.Actors.Distiller;
using Cema.Actors.Edge;
using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;

namespace Cema.Actors.Tests.Edge;

/// <summary>One process, the whole loop: edge → coordinator → replay and a pool of two distillers → params/g → edge.</summary>
public sealed class PipelineTests : ActorTestKit
{
    [Fact]
    public async Task EdgeReceivesParamsUpdatesFromThePoolAndItsVersionIncreases()
    {
        var models = TinyNetworks.Models();
        var replaySettings = ReferenceConfig.Replay with { NewPerStep = 8, MinimumForReplay = 16, ReplayedPerStep = 8 };
        var replay = Sys.ActorOf(ReplayActor.Props(ReferenceConfig.ReplayActor with { Buffer = replaySettings }), "replay");
        var distillers = Sys.ActorOf(DistillerActor.PoolProps(models, new DistillerSettings(2)), "distillers");
        var coordinator = Sys.ActorOf(CloudCoordinator.Props(
            ReferenceConfig.Coordinator with { Replay = replaySettings, Encoding = NormParamsEncoding.Fp16Delta, MaxPendingPerSession = 64 },
            replay, distillers), "coordinator");
        var edge = Sys.ActorOf(EdgeActor.Props(new EdgeSettings("e1", "g", EdgeActorTests.KeepAll, 8), TinyNetworks.Edge, models.EdgeState, coordinator), "edge");
        await AwaitAssertAsync(async () => Assert.True((await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).Subscribed), EdgeActorTests.StartUp);

        for (int i = 0; i < 4; i++) edge.Tell(new FrameBatch(TinyNetworks.Images(8, 10 + i), 8));

        var timeout = TimeSpan.FromSeconds(60);
        await AwaitAssertAsync(async () => Assert.True((await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).Version >= 2), timeout);
        var stats = await edge.Ask<EdgeStats>(GetEdgeStats.Instance);
        Assert.True(stats.UpdatesApplied >= 1);
        Assert.Equal(32, stats.SamplesUploaded);

        var cloud = await coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance);
        var session = Assert.Single(cloud.Sessions);
        Assert.Equal(("g", 32L), (session.Session, session.SamplesReceived));
        Assert.True(session.Version >= 2);
        var buffered = await replay.Ask<ReplayStats>(GetReplayStats.Instance);
        Assert.Equal(32, Assert.Single(buffered.Sessions).Count);
    }
}
