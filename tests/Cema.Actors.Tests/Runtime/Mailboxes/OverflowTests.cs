using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Mailboxes;

/// <summary>Each overflow policy applies at the configured capacity and counts what it did.</summary>
public sealed class OverflowTests : ActorTestKit
{
    private sealed record Hold(Task Gate);

    private sealed record Held;

    /// <summary>Blocks its turn (not a thread) on a gate, then reports every number it processes.</summary>
    private sealed class Gated : ReceiveActor
    {
        public Gated(IActorRef probe)
        {
            ReceiveAsync<Hold>(async hold =>
            {
                probe.Tell(new Held());
                await hold.Gate;
            });
            Receive<int>(n => probe.Tell(n));
        }
    }

    private static Props GatedProps(IActorRef probe, int capacity, MailboxOverflow overflow, TimeSpan? pushTimeout = null) =>
        Props.Create(() => new Gated(probe))
            .WithMailbox(new MailboxSettings(capacity, overflow, pushTimeout ?? TimeSpan.FromSeconds(10)));

    [Fact]
    public async Task DropNewestDiscardsIncomingMessagesAndCountsThem()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(GatedProps(TestActor, 2, MailboxOverflow.DropNewest), "dropNewest");
        actor.Tell(new Hold(gate.Task));
        await ExpectMsgAsync<Held>();

        for (var i = 1; i <= 5; i++)
        {
            actor.Tell(i);
        }
        gate.SetResult();

        Assert.Equal([1, 2], await TestActor.ReceiveNAsync(2));
        await AwaitConditionAsync(() => Sys.GetStats().For(actor)?.Dropped == 3);
        Assert.Equal(3, Sys.GetStats().DroppedMessages);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("dropNewest is full") && e.Message.Contains("3 dropped"));
    }

    [Fact]
    public async Task DropOldestDiscardsQueuedMessagesSoTheLatestWin()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(GatedProps(TestActor, 2, MailboxOverflow.DropOldest), "dropOldest");
        actor.Tell(new Hold(gate.Task));
        await ExpectMsgAsync<Held>();

        for (var i = 1; i <= 5; i++)
        {
            actor.Tell(i);
        }
        gate.SetResult();

        Assert.Equal([4, 5], await TestActor.ReceiveNAsync(2));
        await AwaitConditionAsync(() => Sys.GetStats().For(actor)?.Dropped == 3);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("dropOldest is full") && e.Message.Contains("Int32"));
    }

    [Fact]
    public async Task BackPressureMakesTellAsyncWaitForRoomAndLosesNothing()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(GatedProps(TestActor, 2, MailboxOverflow.BackPressure), "backPressure");
        actor.Tell(new Hold(gate.Task));
        await ExpectMsgAsync<Held>();

        await actor.TellAsync(1);
        await actor.TellAsync(2);
        var third = actor.TellAsync(3).AsTask();
        Assert.False(third.IsCompleted, "the mailbox is full, so the third send must wait");
        gate.SetResult();
        await third.WaitAsync(TestProbe.DefaultTimeout);

        Assert.Equal([1, 2, 3], await TestActor.ReceiveNAsync(3));
        Assert.Equal(0, Sys.GetStats().DeadLetters);
    }

    [Fact]
    public async Task BackPressureTellFromOutsideDeadLettersAfterThePushTimeout()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(GatedProps(TestActor, 1, MailboxOverflow.BackPressure, TimeSpan.FromMilliseconds(100)), "pushTimeout");
        actor.Tell(new Hold(gate.Task));
        await ExpectMsgAsync<Held>();
        actor.Tell(1);

        await Task.Run(() => actor.Tell(2));

        Assert.Equal(1, Sys.GetStats().DeadLetters);
        Assert.Equal(1, Sys.GetStats().For(actor)!.DeadLettered);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("push-timeout") && e.Message.Contains("pushTimeout"));
        gate.SetResult();
        Assert.Equal(1, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task TellAsyncIsCancelledByItsTokenAndSendsNothing()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(GatedProps(TestActor, 1, MailboxOverflow.BackPressure));
        actor.Tell(new Hold(gate.Task));
        await ExpectMsgAsync<Held>();
        actor.Tell(1);
        using var cancel = new CancellationTokenSource();

        var pending = actor.TellAsync(2, cancellationToken: cancel.Token).AsTask();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        gate.SetResult();
        Assert.Equal(1, await ExpectMsgAsync<int>());
        await TestActor.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    private sealed record Pump(IActorRef Target, int Count);

    private sealed record Tally(int Replies);

    /// <summary>Sends numbers to a target and counts the echoes; both sides have one-slot mailboxes.</summary>
    private sealed class Pumper : ReceiveActor
    {
        private int _replies;

        public Pumper()
        {
            Receive<Pump>(p =>
            {
                for (var i = 0; i < p.Count; i++)
                {
                    p.Target.Tell(i);
                }
            });
            Receive<int>(_ => _replies++);
            Receive<string>(_ => Sender.Tell(new Tally(_replies)));
        }
    }

    private sealed class Echo : ReceiveActor
    {
        private int _processed;

        public Echo(IActorRef probe)
        {
            ReceiveAsync<Hold>(async hold =>
            {
                probe.Tell(new Held());
                await hold.Gate;
            });
            Receive<int>(n =>
            {
                _processed++;
                Sender.Tell(n);
            });
            Receive<string>(_ => Sender.Tell(new Tally(_processed)));
        }
    }

    [Fact]
    public async Task ActorsWaitingOnEachOthersFullMailboxesRecoverAfterThePushTimeoutAndAccountForEveryMessage()
    {
        // A pumps into B while B echoes into A; with one-slot mailboxes each ends up waiting for
        // the other. The rule (the waiting actor is paused, no thread blocks, a parked send gives
        // up after the push-timeout) must turn that into dead letters, not a hung system.
        var mailbox = new MailboxSettings(1, MailboxOverflow.BackPressure, TimeSpan.FromMilliseconds(150));
        var echo = Sys.ActorOf(Props.Create(() => new Echo(TestActor)).WithMailbox(mailbox), "echo");
        var pumper = Sys.ActorOf(Props.Create(() => new Pumper()).WithMailbox(mailbox), "pumper");
        var gate = new TaskCompletionSource();
        echo.Tell(new Hold(gate.Task));
        await ExpectMsgAsync<Held>();
        const int sent = 12;

        pumper.Tell(new Pump(echo, sent));
        await AwaitConditionAsync(() => Sys.GetStats().For(echo)?.QueuedMessages == 1);
        gate.SetResult();

        // Settled: every number either reached B or is a dead letter, and every echo either
        // reached A or is a dead letter.
        await AwaitAssertAsync(async () =>
        {
            var processed = (await echo.Ask<Tally>("tally", TimeSpan.FromSeconds(5))).Replies;
            var replies = (await pumper.Ask<Tally>("tally", TimeSpan.FromSeconds(5))).Replies;
            var stats = Sys.GetStats();
            Assert.Equal(sent, processed + stats.For(echo)!.DeadLettered);
            Assert.Equal(processed, replies + stats.For(pumper)!.DeadLettered);
        });
    }

    private sealed class SelfSender : ReceiveActor
    {
        public SelfSender(IActorRef probe)
        {
            Receive<string>(_ =>
            {
                for (var i = 0; i < 3; i++)
                {
                    Self.Tell(i);
                }
            });
            Receive<int>(n => probe.Tell(n));
        }
    }

    [Fact]
    public async Task AnActorTellingItselfOnItsOwnFullMailboxDeadLettersAtOnce()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SelfSender(TestActor))
            .WithMailbox(new MailboxSettings(1, MailboxOverflow.BackPressure, TimeSpan.FromSeconds(30))));

        actor.Tell("go");

        Assert.Equal(0, await ExpectMsgAsync<int>());
        await AwaitConditionAsync(() => Sys.GetStats().DeadLetters == 2);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("own mailbox full"));
    }
}
