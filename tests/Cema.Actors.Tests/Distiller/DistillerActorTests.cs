using Cema.Actors.Distiller;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;

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
