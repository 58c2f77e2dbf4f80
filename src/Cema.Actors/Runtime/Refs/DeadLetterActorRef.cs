namespace Cema.Actors.Runtime;

/// <summary>
/// Where undeliverable messages go: each one is counted and logged (throttled) and published on
/// the event stream as a <see cref="DeadLetter"/>. It is also the Sender of a message sent
/// without one, so replying to "nobody" is visible rather than a null reference.
/// </summary>
internal sealed class DeadLetterActorRef : IActorRef
{
    private readonly ActorSystem _system;

    internal DeadLetterActorRef(ActorSystem system, ActorPath path)
    {
        _system = system;
        Path = path;
    }

    public ActorPath Path { get; }

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter letter)
        {
            _system.RecordDeadLetter(letter, "sent to dead letters");
            return;
        }
        _system.RecordDeadLetter(new DeadLetter(message, ActorRefs.UnwrapOrNull(sender), this), "sent to dead letters");
    }

    public ValueTask TellAsync(object message, IActorRef? sender = null, CancellationToken cancellationToken = default)
    {
        Tell(message, sender);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"DeadLetters[{Path}]";
}
