using Cema.Actors.Cloud;
using Cema.Actors.Edge;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;
using Cema.Models.Data;

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

    private async Task<IActorRef> SubscribedEdge(int uploadBatch = 4)
    {
        var settings = new EdgeSettings("e1", "g", KeepAll, uploadBatch);
        var edge = Sys.ActorOf(EdgeActor.Props(settings, TinyNetworks.Edge, TinyNetworks.Models().EdgeState, coordinator.Ref), "edge");
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
    public async Task FramesArePredictedScoredSelectedAndUploadedInBatches()
    {
        var edge = await SubscribedEdge(uploadBatch: 4);
        var labels = Enumerable.Range(0, 10).Select(i => i % 10).ToArray();
        edge.Tell(new FrameBatch(TinyNetworks.Images(10, 3), 10, labels));

        var first = await coordinator.ExpectMsgAsync<Upload>();
        var second = await coordinator.ExpectMsgAsync<Upload>();
        Assert.Equal(("e1", "g", 0L, 4), (first.Edge, first.Group, first.Version, first.Count));
        Assert.Equal(4 * Dataset.PixelsPerImage, first.Pixels.Length);
        Assert.Equal(TinyNetworks.Images(10, 3).AsSpan(0, 4 * Dataset.PixelsPerImage).ToArray(), first.Pixels);
        Assert.Equal(4, second.Count);
        await coordinator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        edge.Tell(new FrameBatch(new byte[10], 1));                  // malformed: rejected and counted
        edge.Tell(new FrameBatch(TinyNetworks.Images(2, 4), 2, [1])); // labels do not match the frames
        edge.Tell(new FrameBatch(TinyNetworks.Images(2, 4), 2));
        Assert.Equal(4, (await coordinator.ExpectMsgAsync<Upload>()).Count);

        Send(edge, GetEdgeStats.Instance);
        var stats = await ExpectMsgAsync<EdgeStats>();
        Assert.Equal((12L, 10L, 12L, 3L), (stats.FramesSeen, stats.LabelledFrames, stats.SamplesUploaded, stats.Uploads));
        Assert.InRange(stats.Correct, 0, 10);
        Assert.Equal(stats.Correct / 10.0, stats.Accuracy);
        Assert.Equal(1.0, stats.UploadRate);
        Assert.Equal(12, stats.Selection.Kept);
        Assert.Equal(2, stats.RejectedBatches);
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
}
