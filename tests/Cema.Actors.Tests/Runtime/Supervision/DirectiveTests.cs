using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Supervision;

public sealed class DirectiveTests : ActorTestKit
{
    private Props SupervisedRestartable(SupervisorStrategy strategy) =>
        Props.Create(() => new Supervisor(Props.Create(() => new Restartable(TestActor)), strategy, TestActor));

    [Fact]
    public async Task ResumeKeepsTheInstanceAndItsState()
    {
        var supervisor = Sys.ActorOf(SupervisedRestartable(new OneForOneStrategy(_ => Directive.Resume)));
        await ExpectMsgAsync<Hook>(predicate: h => h.Name == "PreStart");
        Assert.Equal(1, await supervisor.Ask<int>("count"));

        supervisor.Tell("boom");

        Assert.Equal(2, await supervisor.Ask<int>("count"));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task StopEndsTheChildRunsPostStopAndTellsItsWatchers()
    {
        var supervisor = Sys.ActorOf(SupervisedRestartable(SupervisorStrategy.StoppingStrategy));
        var started = await ExpectMsgAsync<Hook>(predicate: h => h.Name == "PreStart");

        supervisor.Tell("boom");

        Assert.Equal(new Hook("PostStop", started.Instance), await ExpectMsgAsync<Hook>());
        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Equal("child", terminated.ActorRef.Path.Name);
    }

    [Fact]
    public async Task ExceedingMaxRetriesWithinTheWindowStopsTheChild()
    {
        var strategy = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var supervisor = Sys.ActorOf(SupervisedRestartable(strategy));

        for (var i = 0; i < 3; i++)
        {
            supervisor.Tell("boom");
        }

        var terminated = await TestActor.FishForMessageAsync<Terminated>(_ => true);
        Assert.Equal("child", terminated.ActorRef.Path.Name);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("failed more than 2 times"));
        Assert.Equal(2, Logs.Where(e => e.Message.StartsWith("Restarting", StringComparison.Ordinal)).Count);
    }

    private sealed record Decided(string Cause, string FailedActor);

    /// <summary>A top-level actor whose strategy reports what it decided about and restarts.</summary>
    private sealed class GrandParent : ReceiveActor
    {
        private readonly IActorRef _probe;

        public GrandParent(IActorRef probe)
        {
            _probe = probe;
            var middle = Context.ActorOf(Props.Create(() => new Supervisor(
                Props.Create(() => new Restartable(probe)),
                new OneForOneStrategy(_ => Directive.Escalate),
                null)), "middle");
            ReceiveAny(m => middle.Forward(m));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
        {
            _probe.Tell(new Decided(cause.Message, "middle"));
            return Directive.Restart;
        });
    }

    [Fact]
    public async Task EscalateFailsTheParentWithTheSameExceptionForTheGrandparentToDecide()
    {
        var grandParent = Sys.ActorOf(Props.Create(() => new GrandParent(TestActor)), "grandParent");
        var child = await ExpectMsgAsync<Hook>(predicate: h => h.Name == "PreStart");

        grandParent.Tell("boom");

        // The grandparent decided on the original exception; restarting the middle actor stops
        // the child and creates a new one.
        Assert.Equal(new Decided("boom", "middle"), await ExpectMsgAsync<Decided>());
        Assert.Equal(new Hook("PostStop", child.Instance), await ExpectMsgAsync<Hook>());
        var fresh = await ExpectMsgAsync<Hook>(predicate: h => h.Name == "PreStart");
        Assert.NotEqual(child.Instance, fresh.Instance);
        Assert.Equal(1, await grandParent.Ask<int>("count"));
    }

    [Fact]
    public async Task AnExceptionTheDeciderMapsToStopStopsWhileOthersRestart()
    {
        var strategy = new OneForOneStrategy(cause => cause is ArgumentException ? Directive.Stop : Directive.Restart);
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new Picky()), strategy, TestActor)));

        supervisor.Tell("transient");
        Assert.Equal("alive", await supervisor.Ask<string>("ping"));
        supervisor.Tell("fatal");

        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Equal("child", terminated.ActorRef.Path.Name);
    }

    private sealed class Picky : ReceiveActor
    {
        public Picky()
        {
            Receive<string>(_ => throw new TimeoutException("transient"), s => s == "transient");
            Receive<string>(_ => throw new ArgumentException("fatal"), s => s == "fatal");
            Receive<string>(_ => Sender.Tell("alive"));
        }
    }
}
