using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Routing;

public sealed class PoolTests : ActorTestKit
{
    private sealed record Job(int Id);

    private sealed record Handled(int Id, string Routee);

    private sealed record Block(int Id, Task Gate);

    private sealed record Blocked(int Id, string Routee);

    /// <summary>Reports which routee handled what; a Block job holds the routee's turn until its gate opens.</summary>
    private sealed class Routee : ReceiveActor
    {
        public Routee(IActorRef probe)
        {
            Receive<Job>(j => probe.Tell(new Handled(j.Id, Self.Path.Name)));
            ReceiveAsync<Block>(async b =>
            {
                probe.Tell(new Blocked(b.Id, Self.Path.Name));
                await b.Gate;
                probe.Tell(new Handled(b.Id, Self.Path.Name));
            });
            Receive<string>(_ => throw new InvalidOperationException("routee failure"), s => s == "fail");
            Receive<string>(s => probe.Tell($"{s} {Self.Path.Name}"));
        }
    }

    private IActorRef StartPool(Pool pool, string name) =>
        Sys.ActorOf(Props.Create(() => new Routee(TestActor)).WithRouter(pool), name);

    private async Task<IReadOnlyList<IActorRef>> RouteesOf(IActorRef router) =>
        (await router.Ask<Routees>(GetRoutees.Instance)).Members;

    [Fact]
    public async Task RoundRobinSendsToEachRouteeInTurn()
    {
        var router = StartPool(new RoundRobinPool(3), "roundRobin");

        for (var i = 0; i < 9; i++)
        {
            router.Tell(new Job(i));
        }

        var handled = new List<Handled>();
        for (var i = 0; i < 9; i++)
        {
            handled.Add(await ExpectMsgAsync<Handled>());
        }
        var routeeOf = handled.ToDictionary(h => h.Id, h => h.Routee);
        Assert.Equal(3, routeeOf.Values.Distinct().Count());
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal(routeeOf[i], routeeOf[i + 3]));
        Assert.All(routeeOf.Values.GroupBy(r => r), g => Assert.Equal(3, g.Count()));
    }

    [Fact]
    public async Task SmallestMailboxAvoidsTheBusyRoutee()
    {
        var router = StartPool(new SmallestMailboxPool(3), "smallest");
        var gate = new TaskCompletionSource();
        router.Tell(new Block(0, gate.Task));
        var busy = (await ExpectMsgAsync<Blocked>()).Routee;

        for (var i = 1; i <= 6; i++)
        {
            router.Tell(new Job(i));
            Assert.NotEqual(busy, (await ExpectMsgAsync<Handled>()).Routee);
        }
        gate.SetResult();
        Assert.Equal(new Handled(0, busy), await ExpectMsgAsync<Handled>());
    }

    [Fact]
    public async Task BroadcastReachesEveryRoutee()
    {
        var router = StartPool(new RoundRobinPool(3), "broadcast");

        router.Tell(new Broadcast("hello"));

        var greeted = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            greeted.Add(await ExpectMsgAsync<string>());
        }
        Assert.Equal(3, greeted.Count);
        Assert.All(greeted, g => Assert.StartsWith("hello ", g));
    }

    [Fact]
    public async Task ResizeGrowsAndShrinksThePoolWhileItRuns()
    {
        var router = StartPool(new RoundRobinPool(2), "resizable");
        Assert.Equal(2, (await RouteesOf(router)).Count);

        router.Tell(new Resize(5));
        var grown = await RouteesOf(router);
        Assert.Equal(5, grown.Count);
        foreach (var routee in grown)
        {
            TestActor.Watch(routee);
        }

        router.Tell(new AdjustPoolSize(-3));
        var shrunk = await RouteesOf(router);
        Assert.Equal(grown.Take(2), shrunk);
        var stopped = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            stopped.Add((await ExpectMsgAsync<Terminated>()).ActorRef.Path.Name);
        }
        Assert.Equal(grown.Skip(2).Select(r => r.Path.Name).ToHashSet(), stopped);

        router.Tell(new Job(1));
        router.Tell(new Job(2));
        Assert.Equal(
            shrunk.Select(r => r.Path.Name).ToHashSet(),
            new[] { (await ExpectMsgAsync<Handled>()).Routee, (await ExpectMsgAsync<Handled>()).Routee }.ToHashSet());
    }

    [Fact]
    public async Task ShrinkingLetsARetiringRouteeFinishItsCurrentJob()
    {
        var router = StartPool(new RoundRobinPool(2), "graceful");
        var routees = await RouteesOf(router);
        var gate = new TaskCompletionSource();
        router.Tell(new Job(0));
        router.Tell(new Block(1, gate.Task));
        // Two routees report independently, so in either order.
        var started = await TestActor.ReceiveNAsync(2);
        Assert.Contains(new Handled(0, routees[0].Path.Name), started);
        var blocked = Assert.Single(started.OfType<Blocked>());
        Assert.Equal(routees[1].Path.Name, blocked.Routee);
        TestActor.Watch(routees[1]);

        router.Tell(new Resize(1));
        Assert.Single(await RouteesOf(router));
        gate.SetResult();

        Assert.Equal(new Handled(1, blocked.Routee), await ExpectMsgAsync<Handled>());
        await TestActor.ExpectTerminatedAsync(routees[1]);
        Assert.Equal(0, Sys.GetStats().DeadLetters);
    }

    [Fact]
    public async Task TheRouterRestartsAFailingRouteeAndKeepsRouting()
    {
        var router = Sys.ActorOf(Props.Create(() => new Routee(TestActor))
            .WithRouter(new RoundRobinPool(1) { SupervisorStrategy = new OneForOneStrategy(_ => Directive.Restart) }), "supervising");
        var routee = (await RouteesOf(router)).Single();

        router.Tell("fail");
        router.Tell("still there");

        Assert.Equal($"still there {routee.Path.Name}", await ExpectMsgAsync<string>());
        await AwaitConditionAsync(() => Sys.GetStats().For(routee)?.Restarts == 1);
    }

    [Fact]
    public void PoolsAreDescribedByConfiguration()
    {
        var config = Cema.Actors.Configuration.Config.ParseString("router = smallest-mailbox-pool\npool-size = 4");

        var pool = Pool.FromConfig(config);

        Assert.Equal(new SmallestMailboxPool(4), pool);
    }
}
