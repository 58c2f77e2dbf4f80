using Microsoft.Extensions.Logging;

namespace Cema.Actors.Runtime;

/// <summary>The mediator's state: who subscribes to what. Watches every subscriber once.</summary>
internal sealed class TopicMediatorActor : ActorBase
{
    private readonly TopicMediator _extension;
    private readonly Dictionary<string, HashSet<IActorRef>> _subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, HashSet<string>> _topicsOf = [];

    public TopicMediatorActor(TopicMediator extension) => _extension = extension;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Subscribe subscribe:
                OnSubscribe(subscribe);
                return true;
            case Unsubscribe unsubscribe:
                OnUnsubscribe(unsubscribe);
                return true;
            case Publish publish:
                OnPublish(publish);
                return true;
            case Terminated terminated:
                RemoveSubscriber(terminated.ActorRef);
                return true;
            case GetTopics:
                Sender.Tell(new CurrentTopics(_subscribers.Keys.ToHashSet(StringComparer.Ordinal)));
                return true;
            case CountSubscribers count:
                Sender.Tell(_subscribers.TryGetValue(count.Topic, out var set) ? set.Count : 0);
                return true;
            default:
                return false;
        }
    }

    private void OnSubscribe(Subscribe subscribe)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscribe.Topic);
        if (ActorRefs.AsLocal(subscribe.Ref) is not { } subscriber)
        {
            // Only actors can be watched, and an unwatched subscriber would never be removed.
            Context.GetLogger().LogWarning("Topic mediator refuses subscriber {Subscriber} of {Topic}: only actors can subscribe", subscribe.Ref, subscribe.Topic);
            return;
        }
        if (!_subscribers.TryGetValue(subscribe.Topic, out var set))
        {
            set = [];
            _subscribers[subscribe.Topic] = set;
        }
        set.Add(subscriber);
        if (!_topicsOf.TryGetValue(subscriber, out var topics))
        {
            topics = new HashSet<string>(StringComparer.Ordinal);
            _topicsOf[subscriber] = topics;
            Context.Watch(subscriber);
        }
        topics.Add(subscribe.Topic);
        ReplyIfAsked(new SubscribeAck(subscribe));
    }

    private void OnUnsubscribe(Unsubscribe unsubscribe)
    {
        var subscriber = ActorRefs.Unwrap(unsubscribe.Ref);
        if (_subscribers.TryGetValue(unsubscribe.Topic, out var set) && set.Remove(subscriber) && set.Count == 0)
        {
            _subscribers.Remove(unsubscribe.Topic);
        }
        if (_topicsOf.TryGetValue(subscriber, out var topics) && topics.Remove(unsubscribe.Topic) && topics.Count == 0)
        {
            _topicsOf.Remove(subscriber);
            Context.Unwatch(subscriber);
        }
        ReplyIfAsked(new UnsubscribeAck(unsubscribe));
    }

    private void OnPublish(Publish publish)
    {
        if (!_subscribers.TryGetValue(publish.Topic, out var set) || set.Count == 0)
        {
            var count = _extension.RecordUndelivered(publish.Topic);
            var log = Context.GetLogger();
            var level = LogThrottle.ShouldLog(count) ? LogLevel.Warning : LogLevel.Debug;
            if (log.IsEnabled(level))
            {
                log.Log(level, "Publish of {MessageType} to topic {Topic} reached no subscriber ({UndeliveredCount} so far on this topic)",
                    publish.Message.GetType().Name, publish.Topic, count);
            }
            return;
        }
        foreach (var subscriber in set)
        {
            subscriber.Tell(publish.Message, Sender);
        }
    }

    private void RemoveSubscriber(IActorRef subscriber)
    {
        if (!_topicsOf.Remove(subscriber, out var topics))
        {
            return;
        }
        foreach (var topic in topics)
        {
            if (_subscribers.TryGetValue(topic, out var set) && set.Remove(subscriber) && set.Count == 0)
            {
                _subscribers.Remove(topic);
            }
        }
        Context.GetLogger().LogDebug("Topic mediator removed stopped subscriber {Subscriber} from {Topics}", subscriber.Path, string.Join(", ", topics));
    }

    private void ReplyIfAsked(object reply)
    {
        // A subscription made from outside any actor has no sender; acking it would only add a dead letter.
        if (!ReferenceEquals(Sender, Context.System.DeadLetters))
        {
            Sender.Tell(reply);
        }
    }
}
