using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;

namespace Cema.Actors.Tests.Replay;

public sealed class ReplayActorTests : ActorTestKit
{
    private static ReplayActorSettings Settings(int capacity, long perSessionBytes, long totalBytes) =>
        new(ReferenceConfig.Replay with { Capacity = capacity, MaxBytes = perSessionBytes }, totalBytes);

    // count samples of 4 bytes each, every byte of sample i equal to first + i.
    private static byte[] Pixels(int count, byte first)
    {
        var pixels = new byte[count * 4];
        for (int i = 0; i < count; i++) pixels.AsSpan(i * 4, 4).Fill((byte)(first + i));
        return pixels;
    }

    [Fact]
    public async Task AppendedSamplesAreSampledPerSessionReproducibly()
    {
        var replay = Sys.ActorOf(ReplayActor.Props(Settings(100, 1000, 10_000)));
        replay.Tell(new Append("a", Pixels(10, 0), 10));
        replay.Tell(new Append("b", Pixels(3, 100), 3));

        Send(replay, new SampleRequest("a", 4, 7));
        var first = await ExpectMsgAsync<Sample>();
        Send(replay, new SampleRequest("a", 4, 7));
        var again = await ExpectMsgAsync<Sample>();
        Assert.Equal(4, first.Count);
        Assert.Equal(10, first.Buffered);
        Assert.Equal(first.Pixels, again.Pixels);
        Assert.Equal(4, first.Pixels.Distinct().Count());
        Assert.All(first.Pixels, p => Assert.True(p < 10));

        Send(replay, new SampleRequest("b", 5, 1));
        var b = await ExpectMsgAsync<Sample>();
        Assert.Equal(3, b.Count);
        Assert.All(b.Pixels, p => Assert.InRange(p, (byte)100, (byte)102));

        Send(replay, new SampleRequest("unknown", 5, 1));
        var none = await ExpectMsgAsync<Sample>();
        Assert.Equal(0, none.Count);
        Assert.Empty(none.Pixels);
    }

    [Fact]
    public async Task PerSessionBufferEvictsOldestAndCountsIt()
    {
        var replay = Sys.ActorOf(ReplayActor.Props(Settings(5, 1000, 10_000)));
        replay.Tell(new Append("a", Pixels(8, 0), 8));

        Send(replay, new SampleRequest("a", 5, 3));
        var sample = await ExpectMsgAsync<Sample>();
        Assert.Equal(new byte[] { 3, 4, 5, 6, 7 }, sample.Pixels.Distinct().Order().ToArray());

        Send(replay, GetReplayStats.Instance);
        var stats = await ExpectMsgAsync<ReplayStats>();
        var a = Assert.Single(stats.Sessions);
        Assert.Equal(new SessionReplayStats("a", 5, 20, 8, 3, 0), a);
        Assert.Equal(20, stats.TotalBytes);
        Assert.Equal(3, stats.TotalEvicted);
    }

    [Fact]
    public async Task MemoryBoundOverSessionsEvictsOldestOfTheLargestSession()
    {
        // 40 bytes in total = 10 samples of 4 bytes over all sessions.
        var replay = Sys.ActorOf(ReplayActor.Props(Settings(100, 1000, 40)));
        replay.Tell(new Append("a", Pixels(8, 0), 8));
        replay.Tell(new Append("b", Pixels(4, 100), 4));

        Send(replay, GetReplayStats.Instance);
        var stats = await ExpectMsgAsync<ReplayStats>();
        Assert.Equal(40, stats.TotalBytes);
        Assert.Equal(40, stats.MaxTotalBytes);
        Assert.Equal(new SessionReplayStats("a", 6, 24, 8, 0, 2), stats.Sessions[0]);
        Assert.Equal(new SessionReplayStats("b", 4, 16, 4, 0, 0), stats.Sessions[1]);
        Assert.Equal(2, stats.TotalEvicted);

        Send(replay, new SampleRequest("a", 6, 9));
        var a = await ExpectMsgAsync<Sample>();
        Assert.Equal(new byte[] { 2, 3, 4, 5, 6, 7 }, a.Pixels.Distinct().Order().ToArray());
    }

    [Fact]
    public async Task MalformedAppendIsIgnoredWithoutRestartingTheActor()
    {
        var replay = Sys.ActorOf(ReplayActor.Props(Settings(100, 8, 1000)), "replay");
        replay.Tell(new Append("a", Pixels(2, 0), 2));
        replay.Tell(new Append("a", new byte[7], 2));     // does not split
        replay.Tell(new Append("a", new byte[16], 1));    // one sample above the session's 8 bytes

        Send(replay, GetReplayStats.Instance);
        var stats = await ExpectMsgAsync<ReplayStats>();
        Assert.Equal(2, Assert.Single(stats.Sessions).Count);
        Assert.Equal(2, stats.RejectedAppends);
        Assert.Equal(0, Sys.GetStats().For(replay)!.Restarts);
    }
}
