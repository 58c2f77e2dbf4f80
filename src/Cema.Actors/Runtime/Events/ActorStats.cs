namespace Cema.Actors.Runtime;

/// <summary>One actor's counters at the time of the snapshot.</summary>
/// <param name="QueuedMessages">User messages waiting in the mailbox.</param>
/// <param name="Dropped">Messages its mailbox discarded by the DropNewest/DropOldest policy.</param>
/// <param name="DeadLettered">Messages addressed to it that went to dead letters (stopped, or back-pressure push-timeout).</param>
/// <param name="Unhandled">Messages no handler matched.</param>
/// <param name="Restarts">Completed restarts of this actor.</param>
/// <param name="IsSuspended">Failed and waiting for its supervisor (e.g. during a restart back-off).</param>
public sealed record ActorStats(
    ActorPath Path,
    Type ActorType,
    int QueuedMessages,
    int MailboxCapacity,
    MailboxOverflow Overflow,
    long Processed,
    long Dropped,
    long DeadLettered,
    long Unhandled,
    long Restarts,
    bool IsSuspended);

/// <summary>A system's totals and every live actor's counters (<see cref="ActorSystem.GetStats"/>).</summary>
/// <param name="DeadLetters">All dead letters since start, including those of actors that have stopped.</param>
/// <param name="DroppedMessages">All mailbox drops since start.</param>
public sealed record ActorSystemStats(long DeadLetters, long UnhandledMessages, long DroppedMessages, IReadOnlyList<ActorStats> Actors)
{
    /// <summary>The stats of the actor behind <paramref name="actor"/>, or null if it is not alive.</summary>
    public ActorStats? For(IActorRef actor) => Actors.FirstOrDefault(a => a.Path.Equals(actor.Path));
}
