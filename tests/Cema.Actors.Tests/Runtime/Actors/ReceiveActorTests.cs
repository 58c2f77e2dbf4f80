using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Actors;

public sealed class ReceiveActorTests : ActorTestKit
{
    private sealed class Typed : ReceiveActor
    {
        public Typed(IActorRef probe)
        {
            Receive<int>(n => probe.Tell($"small {n}"), n => n < 10);
            Receive<int>(n => probe.Tell($"int {n}"));
            Receive<string>(s => Become(() => ReceiveAny(m => probe.Tell($"any {m}"))), s => s == "become");
        }
    }

    [Fact]
    public async Task HandlersAreTriedInRegistrationOrderWithTheirPredicates()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Typed(TestActor)));

        actor.Tell(3);
        actor.Tell(30);

        await TestActor.ExpectMsgAsync("small 3");
        await TestActor.ExpectMsgAsync("int 30");
    }

    [Fact]
    public async Task UnhandledMessagesAreCountedLoggedAndPublished()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Typed(TestActor)), "typed");
        var unhandled = CreateTestProbe();
        Sys.EventStream.Subscribe(unhandled, typeof(UnhandledMessage));

        actor.Tell(2.5);

        var published = await unhandled.ExpectMsgAsync<UnhandledMessage>();
        Assert.Equal(2.5, published.Message);
        Assert.Equal(1, Sys.GetStats().UnhandledMessages);
        Assert.Equal(1, Sys.GetStats().For(actor)!.Unhandled);
        Assert.Contains(Logs.Entries, e => e.Message.Contains("/user/typed has no handler for Double"));
    }

    [Fact]
    public async Task BecomeReplacesTheHandlers()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Typed(TestActor)));

        actor.Tell("become");
        actor.Tell(3);

        await TestActor.ExpectMsgAsync("any 3");
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent(IActorRef probe)
        {
            var child = Context.ActorOf(Props.Create(() => new Child(probe)), "kid");
            Receive<string>(s => child.Tell(s));
        }
    }

    private sealed class Child : ReceiveActor
    {
        public Child(IActorRef probe) => Receive<string>(s => probe.Tell($"{s} via {Context.Parent.Path.Name}/{Self.Path.Name}"));
    }

    [Fact]
    public async Task ChildrenLiveUnderTheirParent()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(TestActor)), "parent");

        parent.Tell("hi");

        await TestActor.ExpectMsgAsync("hi via parent/kid");
        Assert.Contains(Sys.GetStats().Actors, a => a.Path.ToString().EndsWith("/user/parent/kid", StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateAndMalformedNamesAreRejected()
    {
        Sys.ActorOf(Props.Create(() => new Typed(TestActor)), "taken");

        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Typed(TestActor)), "taken"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Typed(TestActor)), "a/b"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Typed(TestActor)), "$1"));
    }

    [Fact]
    public void ActorsCannotBeCreatedWithNew()
    {
        Assert.Throws<InvalidOperationException>(() => new Typed(TestActor));
    }
}
