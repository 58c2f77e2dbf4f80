using Cema.Actors.Cloud;
using Cema.Actors.Distiller;
using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;
using Cema.Models.Data;

namespace Cema.Actors.Tests.Cloud;

public sealed class CloudCoordinatorTests : ActorTestKit
{
    private readonly TestProbe replay;
    private readonly TestProbe distillers;

    public CloudCoordinatorTests()
    {
        replay = CreateTestProbe("replay");
        distillers = CreateTestProbe("distillers");
    }

    private IActorRef Coordinator(CloudCoordinatorSettings? settings = null) =>
        Sys.ActorOf(CloudCoordinator.Props(settings ?? ReferenceConfig.Coordinator, replay.Ref, distillers.Ref), "coordinator");

    private static Upload Upload(int count, string edge = "e1", string group = "g", int seed = 1) =>
        new(edge, group, 0, TinyNetworks.Images(count, seed), count);

    private static DistillResult Result(DistillJob job, CloudOptimizerState? optimizer = null)
    {
        using var edge = TinyNetworks.NewEdge();
        using var foundation = new Cema.Models.Networks.ResNet(TinyNetworks.Foundation);
        var losses = new CloudStepResult(1, 1, 1, 1, 1, job.NewCount, job.ReplayCount, TimeSpan.Zero);
        return new DistillResult(job.Session, job.JobId, job.Version, NormParams.From(edge, job.Version + 1), NormParams.From(foundation, job.Version + 1), losses, optimizer);
    }

    private static Upload Batch(int count, long sequence, int seed = 1) =>
        new("e1", "g", 0, count == 0 ? [] : TinyNetworks.Images(count, seed), count, sequence);

    private static CloudCoordinatorSettings Small => ReferenceConfig.Coordinator with
    {
        Replay = ReferenceConfig.Replay with { NewPerStep = 8, MinimumForReplay = 16, ReplayedPerStep = 4, ReplayOnlyBatch = 8 },
        MaxPendingPerSession = 64,
    };

    [Fact]
    public async Task EdgeBatchesThatMakeNoStepEarnOneReplayOnlyStepAndUploadsAreAnsweredOnceTheirStepsArePublished()
    {
        var subscriber = await Subscriber("g");
        var coordinator = Coordinator(Small);
        Send(coordinator, Batch(20, sequence: 0));                     // two steps of 8, 4 left over
        Assert.Equal(20, (await replay.ExpectMsgAsync<Append>()).Count);
        var draw = await replay.ExpectMsgAsync<SampleRequest>();
        // The first session draws the simulator's first session stream: (seed, "replay", 0).
        Assert.Equal(("g", 4, SeededRandom.Hash(0, "replay", 0, 0)), (draw.Session, draw.K, draw.Seed));
        replay.Reply(new Sample("g", TinyNetworks.Images(4, 9), 4, 20));
        var first = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal((8, 4, false), (first.NewCount, first.ReplayCount, first.ReplayOnly));

        Send(coordinator, Batch(0, sequence: 1));                      // no step, 20 buffered: a replay-only step waits
        Send(coordinator, Batch(0, sequence: 2));                      // one is waiting already: merged into it
        await replay.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));  // empty uploads append nothing

        var momentum = new CloudOptimizerState([1f], [2f]);
        coordinator.Tell(Result(first, momentum), distillers.Ref);
        Assert.Equal(1, (await subscriber.ExpectMsgAsync<ParamsUpdated>()).Version);
        Assert.Equal(4, (await replay.ExpectMsgAsync<SampleRequest>()).K);
        replay.Reply(new Sample("g", TinyNetworks.Images(4, 10), 4, 20));
        var second = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal((1L, 8, 4), (second.Version, second.NewCount, second.ReplayCount));
        Assert.Same(momentum, second.Optimizer);                       // the session's momentum travels with its jobs
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));        // batch 0's second step is still running

        coordinator.Tell(Result(second), distillers.Ref);
        Assert.Equal((0L, 2L), Answer(await ExpectMsgAsync<UploadHandled>()));
        Assert.Equal(8, (await replay.ExpectMsgAsync<SampleRequest>()).K);
        replay.Reply(new Sample("g", TinyNetworks.Images(8, 11), 8, 20));
        var replayOnly = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal((2L, 0, 8, true), (replayOnly.Version, replayOnly.NewCount, replayOnly.ReplayCount, replayOnly.ReplayOnly));

        coordinator.Tell(Result(replayOnly), distillers.Ref);
        Assert.Equal((1L, 3L), Answer(await ExpectMsgAsync<UploadHandled>()));
        Assert.Equal((2L, 3L), Answer(await ExpectMsgAsync<UploadHandled>()));

        Send(coordinator, GetCoordinatorStats.Instance);
        var session = Assert.Single((await ExpectMsgAsync<CoordinatorStats>()).Sessions);
        Assert.Equal((3L, 1L, 1L, 4, 0, false), (session.JobsCompleted, session.ReplayOnlySteps, session.ReplayOnlyCoalesced, session.Pending, session.QueuedSteps, session.JobInFlight));
    }

    private static (long Sequence, long Version) Answer(UploadHandled h) => (h.Sequence, h.Version);

    [Fact]
    public async Task AnUploadThatMakesNoStepIsAnsweredAtOnceAndTooManyWaitingSamplesDropTheOldestStep()
    {
        var coordinator = Coordinator(Small with { MaxPendingPerSession = 16 });
        Send(coordinator, Batch(3, sequence: 0));
        Assert.Equal((0L, 0L), Answer(await ExpectMsgAsync<UploadHandled>()));

        Send(coordinator, Batch(5, sequence: 1));                      // 8: a step, in flight at once
        var running = await distillers.ExpectMsgAsync<DistillJob>();
        Send(coordinator, Batch(24, sequence: 2, seed: 3));            // 3 more steps: 24 waiting > 16, the oldest goes
        Send(coordinator, GetCoordinatorStats.Instance);
        var session = Assert.Single((await ExpectMsgAsync<CoordinatorStats>()).Sessions);
        Assert.Equal((16, 8L, 2, true), (session.Pending, session.PendingDropped, session.QueuedSteps, session.JobInFlight));
        Assert.Equal(8, running.NewCount);
    }

    private async Task<TestProbe> Subscriber(string group)
    {
        var probe = CreateTestProbe();
        TopicMediator.Get(Sys).Mediator.Tell(new Subscribe(ParamsTopic.For(group), probe.Ref), probe.Ref);
        await probe.ExpectMsgAsync<SubscribeAck>();
        return probe;
    }

    [Fact]
    public async Task UploadsBecomeOneJobAtATimeAndEachResultIsPublishedWithTheNextVersion()
    {
        var subscriber = await Subscriber("g");
        var coordinator = Coordinator();
        coordinator.Tell(Upload(40));

        var append = await replay.ExpectMsgAsync<Append>();
        Assert.Equal(("g", 40), (append.Session, append.Count));
        var job = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal(("g", 0L, 32, 0), (job.Session, job.Version, job.NewCount, job.ReplayCount));
        Assert.Null(job.EdgeParams);
        Assert.Equal(32 * Dataset.PixelsPerImage, job.NewPixels.Length);

        coordinator.Tell(Upload(40, seed: 2));
        coordinator.Tell(new Upload("e1", "g", 0, new byte[100], 1)); // malformed: rejected and counted
        await replay.ExpectMsgAsync<Append>();
        await distillers.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)); // one job in flight per session

        var result = Result(job);
        coordinator.Tell(result, distillers.Ref);
        var update = await subscriber.ExpectMsgAsync<ParamsUpdated>();
        Assert.Equal(("g", 1L, NormParamsEncoding.Fp16, -1L), (update.Group, update.Version, update.Encoding, update.BaseVersion));
        var decoded = NormParams.Decode(update.Params, result.EdgeParams.Layout);
        Assert.Equal(1, decoded.Version);

        var next = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal(1, next.Version);
        Assert.Same(result.EdgeParams, next.EdgeParams);
        Assert.Same(result.FoundationParams, next.FoundationParams);

        Send(coordinator, GetCoordinatorStats.Instance);
        var stats = await ExpectMsgAsync<CoordinatorStats>();
        Assert.Equal(new SessionStats("g", 1, 80, 16, 0, 1, true), Assert.Single(stats.Sessions));
        Assert.Equal(1, stats.UpdatesPublished);
        Assert.Equal(1, stats.RejectedUploads);
    }

    [Fact]
    public async Task ASessionBehindTheVersionItsEdgeRunsNumbersItsNextUpdatePastTheEdges()
    {
        // A restarted coordinator starts its sessions at version 0 while the edge still runs version 40 of
        // the one before: published as version 1, the update would be ignored by the edge until version 41.
        var subscriber = await Subscriber("g");
        var coordinator = Coordinator();
        coordinator.Tell(new Upload("e1", "g", 40, TinyNetworks.Images(40, 1), 40));
        await replay.ExpectMsgAsync<Append>();
        var job = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal(0, job.Version);

        coordinator.Tell(Upload(40, seed: 2)); // an edge at version 0 of the same group lowers nothing
        await replay.ExpectMsgAsync<Append>();
        var result = Result(job);
        coordinator.Tell(result, distillers.Ref);
        var update = await subscriber.ExpectMsgAsync<ParamsUpdated>();
        Assert.Equal((41L, -1L), (update.Version, update.BaseVersion));
        var decoded = NormParams.Decode(update.Params, result.EdgeParams.Layout);
        Assert.Equal(41, decoded.Version);
        Assert.Equal(result.EdgeParams.Values.ToArray(), decoded.Values.ToArray());

        var next = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal(41, next.Version);
        var second = Result(next);
        coordinator.Tell(second, distillers.Ref);
        Assert.Equal(42, (await subscriber.ExpectMsgAsync<ParamsUpdated>()).Version);
    }

    [Fact]
    public async Task ReplayIsDrawnOnceTheSessionHoldsEnoughSamples()
    {
        var settings = ReferenceConfig.Coordinator with
        {
            Replay = ReferenceConfig.Replay with { NewPerStep = 8, MinimumForReplay = 16, ReplayedPerStep = 4 },
            MaxPendingPerSession = 64,
        };
        var coordinator = Coordinator(settings);
        coordinator.Tell(Upload(8));
        await replay.ExpectMsgAsync<Append>();
        var first = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal(0, first.ReplayCount);
        coordinator.Tell(Result(first), distillers.Ref);

        coordinator.Tell(Upload(8, seed: 2));
        await replay.ExpectMsgAsync<Append>();
        var request = await replay.ExpectMsgAsync<SampleRequest>();
        Assert.Equal(("g", 4), (request.Session, request.K));
        replay.Reply(new Sample("g", TinyNetworks.Images(4, 9), 4, 16));

        var second = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal((1L, 8, 4), (second.Version, second.NewCount, second.ReplayCount));
        Assert.Equal(4 * Dataset.PixelsPerImage, second.ReplayPixels.Length);
    }

    [Fact]
    public async Task AJobWithoutAResultIsSentAgainAndALateDuplicateIsIgnored()
    {
        var coordinator = Coordinator(ReferenceConfig.Coordinator with { JobTimeout = TimeSpan.FromMilliseconds(100) });
        var subscriber = await Subscriber("g");
        coordinator.Tell(Upload(32));
        var job = await distillers.ExpectMsgAsync<DistillJob>();
        var again = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Same(job, again);

        var result = Result(job);
        coordinator.Tell(result, distillers.Ref);
        coordinator.Tell(result, distillers.Ref);
        Assert.Equal(1, (await subscriber.ExpectMsgAsync<ParamsUpdated>()).Version);

        Send(coordinator, GetCoordinatorStats.Instance);
        var stats = await ExpectMsgAsync<CoordinatorStats>();
        Assert.True(stats.JobsResent >= 1);
        Assert.Equal(1, stats.UpdatesPublished);
        Assert.Equal(1, Assert.Single(stats.Sessions).Version);
    }

    [Fact]
    public async Task SessionPerEdgeNamesTheSessionAfterTheEdge()
    {
        var coordinator = Coordinator(ReferenceConfig.Coordinator with { SessionPerGroup = false });
        coordinator.Tell(Upload(32, edge: "camera-7"));
        var job = await distillers.ExpectMsgAsync<DistillJob>();
        Assert.Equal("camera-7", job.Session);
        Assert.Equal("camera-7", (await replay.ExpectMsgAsync<Append>()).Session);
    }

    [Fact]
    public async Task LatestParamsAreAnsweredInFullAndAPublishWithNoSubscriberIsCounted()
    {
        var coordinator = Coordinator(ReferenceConfig.Coordinator with { Encoding = NormParamsEncoding.Fp16Delta });
        Send(coordinator, new LatestParamsRequest("g"));
        await ExpectMsgAsync<NoParamsYet>();

        coordinator.Tell(Upload(64));
        var first = await distillers.ExpectMsgAsync<DistillJob>();
        var firstResult = Result(first);
        coordinator.Tell(firstResult, distillers.Ref);
        var second = await distillers.ExpectMsgAsync<DistillJob>();
        coordinator.Tell(Result(second), distillers.Ref);

        await AwaitConditionAsync(() => TopicMediator.Get(Sys).UndeliveredCount(ParamsTopic.For("g")) == 2);

        Send(coordinator, new LatestParamsRequest("g"));
        var latest = await ExpectMsgAsync<ParamsUpdated>();
        Assert.Equal((2L, NormParamsEncoding.Fp16, -1L), (latest.Version, latest.Encoding, latest.BaseVersion));
        Assert.Equal(2, NormParams.Decode(latest.Params, firstResult.EdgeParams.Layout).Version);
    }
}
