namespace Cema.Actors.Runtime;

/// <summary>
/// System-wide publish by message type (Akka's <c>EventStream</c>): subscribe an actor to
/// <see cref="DeadLetter"/> or <see cref="UnhandledMessage"/> (or any type you publish) to
/// observe them. Subscribers receive instances of the subscribed type and its subtypes.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _lock = new();
    private (IActorRef Subscriber, Type Channel)[] _subscriptions = [];

    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        var target = ActorRefs.Unwrap(subscriber);
        lock (_lock)
        {
            if (_subscriptions.Any(s => s.Subscriber.Equals(target) && s.Channel == channel))
            {
                return false;
            }
            _subscriptions = [.. _subscriptions, (target, channel)];
            return true;
        }
    }

    public bool Unsubscribe(IActorRef subscriber, Type? channel = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var target = ActorRefs.Unwrap(subscriber);
        lock (_lock)
        {
            var kept = _subscriptions.Where(s => !(s.Subscriber.Equals(target) && (channel is null || s.Channel == channel))).ToArray();
            var removed = kept.Length != _subscriptions.Length;
            _subscriptions = kept;
            return removed;
        }
    }

    /// <summary>Delivers without waiting: an event stream must never stall the publisher.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var (subscriber, channel) in Volatile.Read(ref _subscriptions))
        {
            if (channel.IsInstanceOfType(@event))
            {
                var send = subscriber.TellAsync(@event);
                if (!send.IsCompleted)
                {
                    _ = send.AsTask();
                }
            }
        }
    }
}
