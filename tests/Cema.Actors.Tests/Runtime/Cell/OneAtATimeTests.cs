using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Cell;

/// <summary>An actor's receive never runs concurrently with itself, also across awaits.</summary>
public sealed class OneAtATimeTests : ActorTestKit
{
    private sealed record Increment;

    private sealed record Result(int Count, int Overlaps);

    /// <summary>
    /// A read-yield-write counter: with two receives at once, increments get lost, and the
    /// "inside" flag catches the overlap directly.
    /// </summary>
    private sealed class RacyCounter : ReceiveActor
    {
        private int _count;
        private int _inside;
        private int _overlaps;

        public RacyCounter(bool async)
        {
            if (async)
            {
                ReceiveAsync<Increment>(async _ =>
                {
                    Enter();
                    var read = _count;
                    await Task.Yield();
                    _count = read + 1;
                    Leave();
                });
            }
            else
            {
                Receive<Increment>(_ =>
                {
                    Enter();
                    var read = _count;
                    Thread.SpinWait(200);
                    _count = read + 1;
                    Leave();
                });
            }
            Receive<string>(_ => Sender.Tell(new Result(_count, _overlaps)));
        }

        private void Enter()
        {
            if (Interlocked.Increment(ref _inside) != 1)
            {
                Interlocked.Increment(ref _overlaps);
            }
        }

        private void Leave() => Interlocked.Decrement(ref _inside);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentSendersNeverOverlapTheReceive(bool asyncHandler)
    {
        var counter = Sys.ActorOf(Props.Create(() => new RacyCounter(asyncHandler)));
        const int senders = 8, perSender = 250;

        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
            {
                await counter.TellAsync(new Increment());
            }
        })));
        var result = await counter.Ask<Result>("result");

        Assert.Equal(new Result(senders * perSender, 0), result);
    }

    private sealed class AwaitingReplier : ReceiveActor
    {
        public AwaitingReplier()
        {
            ReceiveAsync<string>(async text =>
            {
                await Task.Delay(1);
                // Sender and Self still refer to this message after the await.
                Sender.Tell($"{text} from {Self.Path.Name}");
            });
        }
    }

    [Fact]
    public async Task SenderIsStillTheCurrentMessagesAfterAnAwait()
    {
        var replier = Sys.ActorOf(Props.Create(() => new AwaitingReplier()), "replier");
        var first = CreateTestProbe();
        var second = CreateTestProbe();

        first.Send(replier, "one");
        second.Send(replier, "two");

        await first.ExpectMsgAsync("one from replier");
        await second.ExpectMsgAsync("two from replier");
    }
}
