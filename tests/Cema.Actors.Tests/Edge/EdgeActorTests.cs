using Cema.Actors.Cloud;
using Cema.Actors.Edge;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Actors.Tests.Edge;

public sealed class EdgeActorTests : ActorTestKit
{
    /// <summary>Every rule off: each frame is uploaded, so tests control the upload count exactly.</summary>
    internal static EntropySelectorSettings KeepAll { get; } = ReferenceConfig.Selector with
    {
        ExcludeUnreliable = false, ExcludeLowInformative = false, ExcludeRedundant = false,
    };

    internal static readonly TimeSpan StartUp = TimeSpan.FromSeconds(60);

    private readonly TestProbe coordinator;

    public EdgeActorTests() => coordinator = CreateTestProbe("coordinator");

    private async Task<IActorRef> SubscribedEdge(EdgeSettings? settings = null, IActorRef? observer = null)
    {
        var edge = Sys.ActorOf(EdgeActor.Props(settings ?? new EdgeSettings("e1", "g", KeepAll), TinyNetworks.Edge, TinyNetworks.Models().EdgeState, coordinator.Ref, observer), "edge");
        // Generous: the first test to touch LibTorch pays its start-up, on a machine that may be training.
        Assert.Equal("g", (await coordinator.ExpectMsgAsync<LatestParamsRequest>(StartUp)).Group);
        await AwaitAssertAsync(async () => Assert.True((await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).Subscribed), StartUp);
        return edge;
    }

    private static byte[] Encoded(long version, NormParamsEncoding encoding = NormParamsEncoding.Fp32, NormParams? @base = null)
    {
        using var other = TinyNetworks.NewEdge(seed: 5);
        return NormParams.From(other, version).Encode(encoding, @base);
    }

    [Fact]
    public async Task EachFrameBatchIsPredictedScoredAndItsSelectionUploadedAsOneMessage()
    {
        var edge = await SubscribedEdge();
        var labels = Enumerable.Range(0, 10).Select(i => i % 10).ToArray();
        edge.Tell(new FrameBatch(TinyNetworks.Images(10, 3), 10, labels));

        var upload = await coordinator.ExpectMsgAsync<Upload>();
        Assert.Equal(("e1", "g", 0L, 10, -1L), (upload.Edge, upload.Group, upload.Version, upload.Count, upload.Sequence));
        Assert.Equal(TinyNetworks.Images(10, 3), upload.Pixels);
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        edge.Tell(new FrameBatch(new byte[10], 1));                  // malformed: rejected and counted
        edge.Tell(new FrameBatch(TinyNetworks.Images(2, 4), 2, [1])); // labels do not match the frames
        edge.Tell(new FrameBatch(TinyNetworks.Images(2, 4), 2));
        Assert.Equal(2, (await coordinator.ExpectMsgAsync<Upload>()).Count);

        Send(edge, GetEdgeStats.Instance);
        var stats = await ExpectMsgAsync<EdgeStats>();
        Assert.Equal((12L, 10L, 12L, 2L), (stats.FramesSeen, stats.LabelledFrames, stats.SamplesUploaded, stats.Uploads));
        Assert.InRange(stats.Correct, 0, 10);
        Assert.Equal(stats.Correct / 10.0, stats.Accuracy);
        Assert.Equal(1.0, stats.UploadRate);
        Assert.Equal(12, stats.Selection.Kept);
        Assert.Equal(2, stats.RejectedBatches);
        Assert.Null(stats.SourceAccuracy);
    }

    [Fact]
    public async Task ABatchWithNothingSelectedStillSendsAnEmptyUpload()
    {
        var nothing = KeepAll with { ExcludeUnreliable = true, E0Fraction = 1e-9, DynamicThreshold = false };
        var edge = await SubscribedEdge(new EdgeSettings("e1", "g", nothing));
        edge.Tell(new FrameBatch(TinyNetworks.Images(6, 3), 6));
        var upload = await coordinator.ExpectMsgAsync<Upload>();
        Assert.Equal((0, 0), (upload.Count, upload.Pixels.Length));
        Assert.Equal(6, (await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).Selection.Unreliable);
    }

    [Fact]
    public async Task NewerParamsAreAppliedOlderIgnoredAndAnUnusableDeltaAsksForTheLatest()
    {
        var edge = await SubscribedEdge();
        var mediator = TopicMediator.Get(Sys).Mediator;
        edge.Tell(new FrameBatch(TinyNetworks.Images(4, 1), 4));
        await coordinator.ExpectMsgAsync<Upload>();

        mediator.Tell(new Publish(ParamsTopic.For("g"), new ParamsUpdated("g", 2, Encoded(2), NormParamsEncoding.Fp32, -1)));
        await AwaitAssertAsync(async () => Assert.Equal(2, (await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).Version));

        edge.Tell(new ParamsUpdated("g", 1, Encoded(1), NormParamsEncoding.Fp32, -1));
        using var baseModel = TinyNetworks.NewEdge(seed: 6);
        var wrongBase = NormParams.From(baseModel, 7);
        edge.Tell(new ParamsUpdated("g", 8, Encoded(8, NormParamsEncoding.Fp16Delta, wrongBase), NormParamsEncoding.Fp16Delta, 7));
        Assert.Equal("g", (await coordinator.ExpectMsgAsync<LatestParamsRequest>()).Group);

        edge.Tell(new FrameBatch(TinyNetworks.Images(4, 2), 4));
        Assert.Equal(2, (await coordinator.ExpectMsgAsync<Upload>()).Version);

        Send(edge, GetEdgeStats.Instance);
        var stats = await ExpectMsgAsync<EdgeStats>();
        Assert.Equal((2L, 1L, 2L, 2L), (stats.Version, stats.UpdatesApplied, stats.UpdatesIgnored, stats.LatestRequested));
        Assert.NotNull(stats.LastUpdateLatency);
        Assert.Equal(stats.LastUpdateLatency, stats.MeanUpdateLatency);
    }

    [Fact]
    public async Task WithAnUpdateDelayABatchWaitsForTheCloudsAnswerAndTheVersionItNames()
    {
        // A grace longer than the test: a slow machine must not see the edge ask for the latest mid-way (the next test does).
        var edge = await SubscribedEdge(new EdgeSettings("e1", "g", KeepAll, UpdateDelay: 1) { BehindGrace = TimeSpan.FromMinutes(5) });
        for (int i = 0; i < 3; i++) edge.Tell(new FrameBatch(TinyNetworks.Images(4, 20 + i), 4));

        var first = await coordinator.ExpectMsgAsync<Upload>();
        Assert.Equal((0L, 0L), (first.Sequence, first.Version));
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300)); // batch 1 waits for the answer to batch 0
        Assert.Equal(2, (await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).BatchesWaiting);

        edge.Tell(new UploadHandled("e1", "g", 0, 0)); // no step came of it: version 0 is enough
        var second = await coordinator.ExpectMsgAsync<Upload>();
        Assert.Equal((1L, 0L), (second.Sequence, second.Version));

        edge.Tell(new UploadHandled("e1", "g", 1, 1)); // a step made version 1: the edge waits until it holds it
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        TopicMediator.Get(Sys).Mediator.Tell(new Publish(ParamsTopic.For("g"), new ParamsUpdated("g", 1, Encoded(1), NormParamsEncoding.Fp32, -1)));
        var third = await coordinator.ExpectMsgAsync<Upload>();
        Assert.Equal((2L, 1L), (third.Sequence, third.Version));
        Assert.Equal(0, (await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).BatchesWaiting);
    }

    [Fact]
    public async Task AVersionTheTopicNeverBringsIsAskedForAfterTheGraceAndTheWaitingBatchGoesOnOnceItArrives()
    {
        var edge = await SubscribedEdge(new EdgeSettings("e1", "g", KeepAll, UpdateDelay: 1) { BehindGrace = TimeSpan.FromMilliseconds(200) });
        for (int i = 0; i < 2; i++) edge.Tell(new FrameBatch(TinyNetworks.Images(4, 30 + i), 4));
        Assert.Equal(0L, (await coordinator.ExpectMsgAsync<Upload>()).Sequence);

        edge.Tell(new UploadHandled("e1", "g", 0, 1)); // version 1 exists, but no publish will bring it
        Assert.Equal("g", (await coordinator.ExpectMsgAsync<LatestParamsRequest>()).Group);
        Assert.Equal(1, (await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).BatchesWaiting);

        edge.Tell(new ParamsUpdated("g", 1, Encoded(1), NormParamsEncoding.Fp32, -1)); // the coordinator's answer
        var second = await coordinator.ExpectMsgAsync<Upload>();
        Assert.Equal((1L, 1L), (second.Sequence, second.Version));
        Assert.Equal(2, (await edge.Ask<EdgeStats>(GetEdgeStats.Instance)).LatestRequested);
    }

    [Fact]
    public async Task TheObserverSeesEachBatchScoredAgainstTheFrozenSourceOnTheSameFrames()
    {
        var observer = CreateTestProbe("observer");
        var edge = await SubscribedEdge(new EdgeSettings("e1", "g", KeepAll, MeasureSource: true), observer.Ref);
        var first = TinyNetworks.Images(16, 7);
        var second = TinyNetworks.Images(16, 8);

        // What the edge must predict: renormalization with the first batch's statistics, the source with its own.
        using var device = new ResNet(TinyNetworks.Edge);
        device.load_state_dict(TinyNetworks.Models().EdgeState);
        using var source = new ResNet(TinyNetworks.Edge);
        source.load_state_dict(TinyNetworks.Models().EdgeState);
        foreach (var (_, layer) in NormLayers.Of(device)) layer.mode = BatchNorm2d.NormalizationMode.TestTimeRenorm;
        int[] Predicted(ResNet m, byte[] pixels)
        {
            using var scope = torch.NewDisposeScope();
            return EdgeInference.Predict(m, ImageTensors.ToTensor(pixels, 16)).argmax(1).ToArray<long>().Select(p => (int)p).ToArray();
        }
        var deviceFirst = Predicted(device, first);
        var deviceSecond = Predicted(device, second);
        var sourceSecond = Predicted(source, second);
        Assert.NotEqual(deviceSecond, sourceSecond); // otherwise this test could not tell the two paths apart

        // Labelled with the edge's own expected predictions, then with the source's: each count is exact.
        edge.Tell(new FrameBatch(first, 16, deviceFirst));
        var one = await observer.ExpectMsgAsync<EdgeBatchObserved>();
        Assert.Equal(("e1", 0L, 16, 16, 16, 16, 0L), (one.Edge, one.Sequence, one.Frames, one.Labelled, one.Correct, one.Uploaded, one.Version));
        Assert.Equal(Predicted(source, first).Zip(deviceFirst).Count(z => z.First == z.Second), one.SourceCorrect);
        Assert.True(double.IsPositiveInfinity(one.EMax)); // unreliable exclusion is off

        edge.Tell(new FrameBatch(second, 16, sourceSecond));
        var two = await observer.ExpectMsgAsync<EdgeBatchObserved>();
        Assert.Equal(16, two.SourceCorrect);
        Assert.Equal(deviceSecond.Zip(sourceSecond).Count(z => z.First == z.Second), two.Correct);

        edge.Tell(new ParamsUpdated("g", 1, Encoded(1), NormParamsEncoding.Fp32, -1));
        var applied = await observer.ExpectMsgAsync<EdgeUpdateApplied>();
        Assert.Equal(("e1", 1L), (applied.Edge, applied.Version));
        Assert.NotNull(applied.Latency);

        var stats = await edge.Ask<EdgeStats>(GetEdgeStats.Instance);
        Assert.Equal(one.SourceCorrect + 16L, stats.SourceCorrect);
        Assert.Equal((one.SourceCorrect + 16) / 32.0, stats.SourceAccuracy);
    }
}
