using Cema.Actors.Distiller;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Actors.Tests.Distiller;

public sealed class DistillerActorTests : ActorTestKit
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private static DistillJob Job(long jobId, long version = 0, NormParams? edge = null, NormParams? foundation = null, int replay = 0) => new(
        "s", version, jobId,
        TinyNetworks.Images(8, (int)jobId), 8,
        replay > 0 ? TinyNetworks.Images(replay, 100 + (int)jobId) : [], replay,
        edge, foundation, ReferenceConfig.Cloud);

    [Fact]
    public async Task JobIsAnsweredWithTheNextVersionOfBothModelsParams()
    {
        var distiller = Sys.ActorOf(DistillerActor.Props(TinyNetworks.Models(), new DistillerSettings(1)));
        Send(distiller, Job(1, replay: 4));

        var result = await ExpectMsgAsync<DistillResult>(StepTimeout);
        Assert.Equal(("s", 1L, 0L), (result.Session, result.JobId, result.BaseVersion));
        Assert.Equal(1, result.EdgeParams.Version);
        Assert.Equal(1, result.FoundationParams.Version);
        Assert.Equal(8, result.Losses.NewSamples);
        Assert.Equal(4, result.Losses.ReplayedSamples);
        Assert.NotNull(result.Losses.FoundationLoss);

        using var edge = TinyNetworks.NewEdge();
        Assert.Equal(NormParamsLayout.Of(edge), result.EdgeParams.Layout);

        // The next job starts from the session's params it carries, and answers in order.
        Send(distiller, Job(2, 1, result.EdgeParams, result.FoundationParams));
        Send(distiller, Job(3, 1, result.EdgeParams, result.FoundationParams));
        var second = await ExpectMsgAsync<DistillResult>(StepTimeout);
        var third = await ExpectMsgAsync<DistillResult>(StepTimeout);
        Assert.Equal((2L, 2L), (second.JobId, second.EdgeParams.Version));
        Assert.Equal(3L, third.JobId);
        Assert.False(result.EdgeParams.Values.SequenceEqual(second.EdgeParams.Values));
    }

    [Fact]
    public async Task StepsEqualOneCemaCloudStepPerSessionWhateverOtherSessionsTheDistillerServedBetween()
    {
        var models = TinyNetworks.Models();
        var distiller = Sys.ActorOf(DistillerActor.Props(models, new DistillerSettings(1)));
        var fresh1 = TinyNetworks.Images(8, 1);
        var fresh2 = TinyNetworks.Images(8, 2);
        var replayed2 = TinyNetworks.Images(4, 3);

        // Session "s": two steps, with session "other" (its own first step, other images) run in between.
        Send(distiller, new DistillJob("s", 0, 1, fresh1, 8, [], 0, null, null, ReferenceConfig.Cloud));
        var first = await ExpectMsgAsync<DistillResult>(StepTimeout);
        Send(distiller, new DistillJob("other", 0, 2, TinyNetworks.Images(8, 50), 8, TinyNetworks.Images(4, 51), 4, null, null, ReferenceConfig.Cloud));
        var other = await ExpectMsgAsync<DistillResult>(StepTimeout);
        Send(distiller, new DistillJob("s", 1, 3, fresh2, 8, replayed2, 4, first.EdgeParams, first.FoundationParams, ReferenceConfig.Cloud, first.Optimizer));
        var second = await ExpectMsgAsync<DistillResult>(StepTimeout);
        Assert.NotNull(other.Optimizer);

        // The same two steps on one CemaCloudStep of fresh models, as the simulator's cloud runs them.
        using var edge = new ResNet(models.EdgeSpec);
        edge.load_state_dict(models.EdgeState);
        using var foundation = new ResNet(models.FoundationSpec);
        foundation.load_state_dict(models.FoundationState);
        using var step = new CemaCloudStep(foundation, edge, ReferenceConfig.Cloud);
        using (torch.NewDisposeScope()) step.Step(ImageTensors.ToTensor(fresh1, 8), null);
        Assert.Equal(NormParams.From(edge, 1).Values.ToArray(), first.EdgeParams.Values.ToArray());
        using (torch.NewDisposeScope()) step.Step(ImageTensors.ToTensor(fresh2, 8), ImageTensors.ToTensor(replayed2, 4));
        Assert.Equal(NormParams.From(edge, 2).Values.ToArray(), second.EdgeParams.Values.ToArray());
        Assert.Equal(NormParams.From(foundation, 2).Values.ToArray(), second.FoundationParams.Values.ToArray());
        Assert.Equal(step.ExportOptimizerState().Edge, second.Optimizer!.Edge);
    }

    [Fact]
    public async Task AJobWithoutNewSamplesIsAReplayOnlyStepThatLeavesTheFoundationAsItWas()
    {
        var distiller = Sys.ActorOf(DistillerActor.Props(TinyNetworks.Models(), new DistillerSettings(1)));
        Send(distiller, Job(1));
        var first = await ExpectMsgAsync<DistillResult>(StepTimeout);

        Send(distiller, new DistillJob("s", 1, 2, [], 0, TinyNetworks.Images(8, 40), 8, first.EdgeParams, first.FoundationParams, ReferenceConfig.Cloud, first.Optimizer));
        var replayOnly = await ExpectMsgAsync<DistillResult>(StepTimeout);
        Assert.Null(replayOnly.Losses.FoundationLoss);
        Assert.Equal((0, 8), (replayOnly.Losses.NewSamples, replayOnly.Losses.ReplayedSamples));
        Assert.Equal(first.FoundationParams.Values.ToArray(), replayOnly.FoundationParams.Values.ToArray());
        Assert.False(first.EdgeParams.Values.SequenceEqual(replayOnly.EdgeParams.Values));
        Assert.Equal(first.Optimizer!.Foundation, replayOnly.Optimizer!.Foundation);
        Assert.NotEqual(first.Optimizer.Edge, replayOnly.Optimizer.Edge);
    }

    [Fact]
    public async Task FailedStepRestartsTheDistillerAndTheJobIsRetried()
    {
        var pool = Sys.ActorOf(DistillerActor.PoolProps(TinyNetworks.Models(), new DistillerSettings(2, FailFirstJobs: 1)), "distillers");
        Send(pool, Job(7));

        var result = await ExpectMsgAsync<DistillResult>(StepTimeout);
        Assert.Equal(7, result.JobId);
        Assert.Equal(1, result.EdgeParams.Version);
        await AwaitConditionAsync(() => Sys.GetStats().Actors.Sum(a => a.Restarts) == 1);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }
}
