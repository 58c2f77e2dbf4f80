namespace Cema.Actors.Runtime;

/// <summary>
/// The temporary reply address behind <see cref="Futures.Ask{T}"/>: the first message sent to it
/// completes the ask; later ones are dead letters (a second reply has nowhere to go).
/// </summary>
internal sealed class PromiseActorRef : IActorRef
{
    private readonly TaskCompletionSource<object> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem? _system;

    internal PromiseActorRef(ActorPath path, ActorSystem? system)
    {
        Path = path;
        _system = system;
    }

    public ActorPath Path { get; }

    internal Task<object> Reply => _reply.Task;

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_reply.TrySetResult(message) && _system is not null)
        {
            _system.RecordDeadLetter(new DeadLetter(message, ActorRefs.UnwrapOrNull(sender), this), "ask already completed or timed out");
        }
    }

    public ValueTask TellAsync(object message, IActorRef? sender = null, CancellationToken cancellationToken = default)
    {
        Tell(message, sender);
        return ValueTask.CompletedTask;
    }

    /// <summary>A timed-out ask completes the promise so a late reply is counted as a dead letter.</summary>
    internal void Expire() => _reply.TrySetCanceled();

    public override string ToString() => $"Promise[{Path}]";
}
