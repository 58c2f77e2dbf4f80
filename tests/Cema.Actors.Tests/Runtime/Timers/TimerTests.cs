using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Timers;

public sealed class TimerTests : ActorTestKit
{
    private sealed record StartSingle(TimeSpan Delay);

    private sealed record StartPeriodic(TimeSpan Interval);

    private sealed record CancelTimer;

    private sealed record Tick(int Number);

    private sealed class Ticker : ReceiveActor
    {
        private int _ticks;

        public Ticker(IActorRef probe)
        {
            Receive<StartSingle>(s => Timers.StartSingleTimer("t", "tick", s.Delay));
            Receive<StartPeriodic>(p => Timers.StartPeriodicTimer("t", "tick", p.Interval));
            Receive<CancelTimer>(_ =>
            {
                Timers.Cancel("t");
                probe.Tell($"cancelled, active: {Timers.IsTimerActive("t")}");
            });
            Receive<string>(_ => probe.Tell(new Tick(++_ticks)), s => s == "tick");
        }
    }

    [Fact]
    public async Task ASingleTimerFiresOnce()
    {
        var ticker = Sys.ActorOf(Props.Create(() => new Ticker(TestActor)));

        ticker.Tell(new StartSingle(TimeSpan.FromMilliseconds(20)));

        Assert.Equal(new Tick(1), await ExpectMsgAsync<Tick>());
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task APeriodicTimerRepeatsUntilCancelledAndNothingArrivesAfterTheCancel()
    {
        var ticker = Sys.ActorOf(Props.Create(() => new Ticker(TestActor)));

        ticker.Tell(new StartPeriodic(TimeSpan.FromMilliseconds(15)));

        Assert.Equal([new Tick(1), new Tick(2), new Tick(3)], await TestActor.ReceiveNAsync(3));
        ticker.Tell(new CancelTimer());
        // Ticks fired before the cancel may still come first; none may come after it, even if
        // one was already queued in the mailbox.
        await TestActor.FishForMessageAsync<string>(s => s == "cancelled, active: False");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task ACancelledSingleTimerNeverFires()
    {
        var ticker = Sys.ActorOf(Props.Create(() => new Ticker(TestActor)));

        ticker.Tell(new StartSingle(TimeSpan.FromMilliseconds(50)));
        ticker.Tell(new CancelTimer());

        await TestActor.ExpectMsgAsync("cancelled, active: False");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task TimersStopWithTheActor()
    {
        var ticker = Sys.ActorOf(Props.Create(() => new Ticker(TestActor)));
        ticker.Tell(new StartPeriodic(TimeSpan.FromMilliseconds(15)));
        await ExpectMsgAsync<Tick>();
        TestActor.Watch(ticker);

        Sys.Stop(ticker);

        await TestActor.FishForMessageAsync<Terminated>(_ => true);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(150));
        Assert.Equal(0, Sys.GetStats().DeadLetters);
    }
}
