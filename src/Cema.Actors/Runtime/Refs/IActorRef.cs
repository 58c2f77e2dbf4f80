namespace Cema.Actors.Runtime;

/// <summary>
/// A handle to an actor: the only way to talk to it. Safe to share between threads and to keep
/// after the actor stopped (messages then go to dead letters, counted).
/// </summary>
public interface IActorRef
{
    ActorPath Path { get; }

    /// <summary>
    /// Fire-and-forget send. <paramref name="sender"/> defaults to the calling actor's Self when
    /// called from inside an actor, otherwise to no sender (replies go to dead letters).
    /// On a full back-pressure mailbox: from inside an actor the send is parked and the calling
    /// actor takes no further message until it is accepted or its push-timeout expires (then it
    /// is dead-lettered); from outside an actor the calling thread waits up to the push-timeout.
    /// Prefer <see cref="TellAsync"/> outside actors.
    /// </summary>
    void Tell(object message, IActorRef? sender = null);

    /// <summary>
    /// Send that waits asynchronously for room in a full back-pressure mailbox, with no timeout
    /// but the caller's token (cancelled: the message is not sent and the task is cancelled).
    /// Inside an actor it behaves like <see cref="Tell"/> and completes at once, because the
    /// actor itself is what gets paused.
    /// </summary>
    ValueTask TellAsync(object message, IActorRef? sender = null, CancellationToken cancellationToken = default);
}
