using System.Collections.Concurrent;

namespace Cema.Actors.Runtime;

/// <summary>
/// In-process topic pub-sub, one per system (the shape of Akka's
/// <c>DistributedPubSub.Get(system).Mediator</c>): tell <see cref="Mediator"/> a
/// <see cref="Subscribe"/>, <see cref="Unsubscribe"/> or <see cref="Publish"/>. A publish that
/// reaches no subscriber is counted per topic and logged, never silently lost; subscribers that
/// stop are removed through death watch.
/// </summary>
public sealed class TopicMediator
{
    private readonly ConcurrentDictionary<string, long> _undelivered = new(StringComparer.Ordinal);

    private TopicMediator(ActorSystem system)
    {
        Mediator = system.SystemActorOf(Props.Create(() => new TopicMediatorActor(this)), "topicMediator");
    }

    /// <summary>The mediator actor (at <c>/system/topicMediator</c>).</summary>
    public IActorRef Mediator { get; }

    public static TopicMediator Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.GetOrCreateExtension(static s => new TopicMediator(s));
    }

    /// <summary>Publishes to <paramref name="topic"/> that found no subscriber.</summary>
    public long UndeliveredCount(string topic) => _undelivered.TryGetValue(topic, out var count) ? count : 0;

    /// <summary>Per topic, the publishes that found no subscriber.</summary>
    public IReadOnlyDictionary<string, long> UndeliveredByTopic() => new Dictionary<string, long>(_undelivered, StringComparer.Ordinal);

    internal long RecordUndelivered(string topic) => _undelivered.AddOrUpdate(topic, 1, static (_, count) => count + 1);
}
