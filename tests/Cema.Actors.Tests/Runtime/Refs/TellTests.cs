using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Refs;

public sealed class TellTests : ActorTestKit
{
    private sealed record Numbered(int SenderId, int Sequence);

    private sealed record Report(int Violations, int Received);

    /// <summary>Checks that each sender's numbers arrive in order and counts them.</summary>
    private sealed class OrderChecker : ReceiveActor
    {
        private readonly Dictionary<int, int> _last = [];
        private int _violations;
        private int _received;

        public OrderChecker()
        {
            Receive<Numbered>(m =>
            {
                if (_last.TryGetValue(m.SenderId, out var last) && m.Sequence != last + 1)
                {
                    _violations++;
                }
                _last[m.SenderId] = m.Sequence;
                _received++;
            });
            Receive<string>(_ => Sender.Tell(new Report(_violations, _received)), s => s == "report");
        }
    }

    /// <summary>Sends a burst to a target from inside its receive.</summary>
    private sealed class Burst : ReceiveActor
    {
        public Burst(IActorRef target, int count)
        {
            Receive<string>(_ =>
            {
                for (var i = 0; i < count; i++)
                {
                    target.Tell(new Numbered(0, i));
                }
                Sender.Tell("sent");
            });
        }
    }

    [Fact]
    public async Task MessagesFromEachOutsideSenderArriveInTheOrderSent()
    {
        var checker = Sys.ActorOf(Props.Create(() => new OrderChecker()));
        const int senders = 4, perSender = 500;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(id => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                checker.Tell(new Numbered(id, i));
            }
        })));

        var report = await checker.Ask<Report>("report");

        Assert.Equal(new Report(0, senders * perSender), report);
    }

    [Fact]
    public async Task AnActorsBurstToAFullBackPressureMailboxArrivesCompleteAndInOrder()
    {
        // Capacity 8 for 2,000 messages: most of the burst goes through the sender's outbox,
        // which must keep it behind the first parked message.
        var checker = Sys.ActorOf(Props.Create(() => new OrderChecker())
            .WithMailbox(new MailboxSettings(8, MailboxOverflow.BackPressure, TimeSpan.FromSeconds(10))));
        var burst = Sys.ActorOf(Props.Create(() => new Burst(checker, 2000)));

        Assert.Equal("sent", await burst.Ask<string>("go"));

        // "sent" overtakes the parked part of the burst (other recipient), so wait for the rest.
        await AwaitAssertAsync(async () => Assert.Equal(new Report(0, 2000), await checker.Ask<Report>("report")));
        Assert.Equal(0, Sys.GetStats().DeadLetters);
    }

    [Fact]
    public async Task TellInsideAnActorDefaultsTheSenderToSelf()
    {
        var probe = CreateTestProbe();
        var relay = Sys.ActorOf(Props.Create(() => new Relay(probe)), "relay");

        relay.Tell("hello");

        await probe.ExpectMsgAsync("hello");
        Assert.Equal(relay.Path, probe.LastSender.Path);
    }

    [Fact]
    public async Task TellToAStoppedActorIsADeadLetterCountedOnTheSystem()
    {
        var relay = Sys.ActorOf(Props.Create(() => new Relay(TestActor)));
        TestActor.Watch(relay);
        Sys.Stop(relay);
        await TestActor.ExpectTerminatedAsync(relay);

        relay.Tell("too late");

        await AwaitConditionAsync(() => Sys.GetStats().DeadLetters == 1);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("Dead letter 1") && e.Message.Contains("String") && e.Message.Contains("recipient stopped"));
    }

    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef target) => ReceiveAny(m => target.Tell(m));
    }
}
