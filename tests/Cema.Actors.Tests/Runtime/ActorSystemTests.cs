using System.Collections.Concurrent;
using Cema.Actors.Configuration;
using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime;

public sealed class ActorSystemTests
{
    private sealed class Recorder : ReceiveActor
    {
        private readonly ConcurrentQueue<string> _stops;

        public Recorder(ConcurrentQueue<string> stops, int children)
        {
            _stops = stops;
            for (var i = 0; i < children; i++)
            {
                Context.ActorOf(Props.Create(() => new Recorder(stops, 0)), $"child{i}");
            }
            ReceiveAny(_ => { });
        }

        protected override void PostStop() => _stops.Enqueue(Self.Path.ToString());
    }

    [Fact]
    public async Task TerminateStopsEveryActorChildrenBeforeParentsAndRunsPostStop()
    {
        var stops = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("terminating");
        system.ActorOf(Props.Create(() => new Recorder(stops, 2)), "a");
        system.ActorOf(Props.Create(() => new Recorder(stops, 0)), "b");
        await ActorTestKit.AwaitConditionAsync(() => system.GetStats().Actors.Count == 4);

        await system.Terminate().WaitAsync(TestProbe.DefaultTimeout);

        var order = stops.ToList();
        Assert.Equal(4, order.Count);
        Assert.True(order.IndexOf("cema://terminating/user/a/child0") < order.IndexOf("cema://terminating/user/a"));
        Assert.True(order.IndexOf("cema://terminating/user/a/child1") < order.IndexOf("cema://terminating/user/a"));
        Assert.Contains("cema://terminating/user/b", order);
        Assert.Empty(system.GetStats().Actors);
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create(() => new Recorder(stops, 0))));
    }

    [Fact]
    public async Task DisposeAsyncTerminates()
    {
        var stops = new ConcurrentQueue<string>();
        await using (var system = ActorSystem.Create("disposed"))
        {
            system.ActorOf(Props.Create(() => new Recorder(stops, 0)), "only");
        }

        Assert.Equal(["cema://disposed/user/only"], stops);
    }

    [Fact]
    public void ReferenceConfHoldsTheSameDefaultsAsTheSettingsRecords()
    {
        var config = ReferenceConfig.Value;

        var settings = ActorSystemSettings.FromConfig(config);

        Assert.Equal(MailboxSettings.Default, settings.Mailbox);
        Assert.Equal(DispatcherSettings.Default, settings.Dispatcher);
        Assert.Equal(SupervisionSettings.Default, settings.Supervision);
        Assert.Equal(ActorSystemSettings.Default.AskTimeout, settings.AskTimeout);
        Assert.Equal(ActorSystemSettings.Default.ShutdownTimeout, settings.ShutdownTimeout);
    }

    [Fact]
    public async Task ASystemCreatedFromConfigUsesItsMailboxSettings()
    {
        var config = ReferenceConfig.Load("cema.runtime.mailbox.capacity=7", "cema.runtime.mailbox.overflow=drop-oldest");
        await using var system = ActorSystem.Create("configured", config);

        var actor = system.ActorOf(Props.Create(() => new Recorder(new ConcurrentQueue<string>(), 0)));

        var stats = system.GetStats().For(actor)!;
        Assert.Equal(7, stats.MailboxCapacity);
        Assert.Equal(MailboxOverflow.DropOldest, stats.Overflow);
    }

    [Fact]
    public void AnUnknownOverflowPolicyIsAConfigErrorNamingTheChoices()
    {
        var error = Assert.Throws<ConfigException>(() => MailboxSettings.ParseOverflow("drop-everything"));

        Assert.Contains("back-pressure, drop-newest or drop-oldest", error.Message);
    }
}
