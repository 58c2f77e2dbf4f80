using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.PubSub;

public sealed class TopicMediatorTests : ActorTestKit
{
    private IActorRef Mediator => TopicMediator.Get(Sys).Mediator;

    private async Task SubscribeAsync(TestProbe subscriber, string topic)
    {
        subscriber.Send(Mediator, new Subscribe(topic, subscriber));
        var ack = await subscriber.ExpectMsgAsync<SubscribeAck>();
        Assert.Equal(topic, ack.Subscribe.Topic);
    }

    [Fact]
    public async Task PublishReachesEverySubscriberWithThePublisherAsSender()
    {
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        await SubscribeAsync(first, "params/group-a");
        await SubscribeAsync(second, "params/group-a");

        TestActor.Send(Mediator, new Publish("params/group-a", "v2"));

        await first.ExpectMsgAsync("v2");
        await second.ExpectMsgAsync("v2");
        Assert.Equal(TestActor.Path, first.LastSender.Path);
        Assert.Equal(2, await Mediator.Ask<int>(new CountSubscribers("params/group-a")));
    }

    [Fact]
    public async Task UnsubscribedActorsGetNothingAndThePublishCountsAsUndelivered()
    {
        var subscriber = CreateTestProbe();
        await SubscribeAsync(subscriber, "topic");

        subscriber.Send(Mediator, new Unsubscribe("topic", subscriber));
        await subscriber.ExpectMsgAsync<UnsubscribeAck>();
        Mediator.Tell(new Publish("topic", "lost?"));

        await AwaitConditionAsync(() => TopicMediator.Get(Sys).UndeliveredCount("topic") == 1);
        await subscriber.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task PublishesToNobodyAreCountedPerTopicAndLogged()
    {
        for (var i = 0; i < 3; i++)
        {
            Mediator.Tell(new Publish("params/empty", i));
        }
        Mediator.Tell(new Publish("other", "x"));

        var mediator = TopicMediator.Get(Sys);
        await AwaitConditionAsync(() => mediator.UndeliveredCount("params/empty") == 3 && mediator.UndeliveredCount("other") == 1);
        Assert.Equal(new Dictionary<string, long> { ["params/empty"] = 3, ["other"] = 1 }, mediator.UndeliveredByTopic());
        Assert.Contains(Logs.Entries, e => e.Message.Contains("topic params/empty reached no subscriber (3 so far"));
    }

    private sealed class Subscriber : ReceiveActor
    {
        public Subscriber(IActorRef mediator, string topic, IActorRef probe)
        {
            mediator.Tell(new Subscribe(topic, Self));
            Receive<SubscribeAck>(ack => probe.Tell(ack));
            ReceiveAny(m => probe.Tell(m));
        }
    }

    [Fact]
    public async Task ASubscriberThatStopsIsRemoved()
    {
        var subscriber = Sys.ActorOf(Props.Create(() => new Subscriber(Mediator, "params/g", TestActor)));
        await ExpectMsgAsync<SubscribeAck>();
        Assert.Equal(1, await Mediator.Ask<int>(new CountSubscribers("params/g")));

        Sys.Stop(subscriber);

        await AwaitAssertAsync(async () => Assert.Equal(0, await Mediator.Ask<int>(new CountSubscribers("params/g"))));
        Assert.Empty((await Mediator.Ask<CurrentTopics>(GetTopics.Instance)).Topics);
        Mediator.Tell(new Publish("params/g", "after death"));
        await AwaitConditionAsync(() => TopicMediator.Get(Sys).UndeliveredCount("params/g") == 1);
        Assert.Equal(0, Sys.GetStats().DeadLetters);
    }
}
