using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Actors;

public sealed class DeathWatchTests : ActorTestKit
{
    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(_ => { });
    }

    private sealed class BrokenAtStart : ReceiveActor
    {
        public BrokenAtStart() => throw new InvalidOperationException("cannot start");
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef subject, IActorRef probe)
        {
            Context.Watch(subject);
            Receive<Terminated>(t => probe.Tell(t));
            Receive<string>(_ => Context.Unwatch(subject), s => s == "unwatch");
            Receive<string>(_ => Sender.Tell("unwatched"), s => s == "ack");
        }
    }

    private sealed class CarelessWatcher : ReceiveActor
    {
        public CarelessWatcher(IActorRef subject)
        {
            Context.Watch(subject);
            Receive<string>(_ => { });
        }
    }

    [Fact]
    public async Task WatchersGetTerminatedWhenAnActorIsStopped()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()), "subject");
        Sys.ActorOf(Props.Create(() => new Watcher(subject, TestActor)));
        TestActor.Watch(subject);

        Sys.Stop(subject);

        var first = await ExpectMsgAsync<Terminated>();
        var second = await ExpectMsgAsync<Terminated>();
        Assert.Equal(subject, first.ActorRef);
        Assert.Equal(subject, second.ActorRef);
    }

    [Fact]
    public async Task WatchersGetTerminatedWhenAnActorIsStoppedByItsSupervisor()
    {
        var broken = Sys.ActorOf(Props.Create(() => new BrokenAtStart()), "broken");
        TestActor.Watch(broken);

        await TestActor.ExpectTerminatedAsync(broken);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("Stopping") && e.Message.Contains("ActorInitializationException"));
    }

    [Fact]
    public async Task WatchingAnAlreadyDeadActorDeliversTerminatedAtOnce()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()));
        TestActor.Watch(subject);
        Sys.Stop(subject);
        await TestActor.ExpectTerminatedAsync(subject);

        var probe = CreateTestProbe();
        probe.Watch(subject);

        await probe.ExpectTerminatedAsync(subject);
    }

    [Fact]
    public async Task UnwatchSuppressesTerminated()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(subject, TestActor)));
        watcher.Tell("unwatch");
        Assert.Equal("unwatched", await watcher.Ask<string>("ack"));
        var probe = CreateTestProbe();
        probe.Watch(subject);

        Sys.Stop(subject);

        await probe.ExpectTerminatedAsync(subject);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task AWatcherThatDoesNotHandleTerminatedDiesOfADeathPact()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()));
        var watcher = Sys.ActorOf(Props.Create(() => new CarelessWatcher(subject)));
        TestActor.Watch(watcher);

        Sys.Stop(subject);

        await TestActor.ExpectTerminatedAsync(watcher);
        Assert.Contains(Logs.Entries, e => e.Exception is DeathPactException);
    }
}
