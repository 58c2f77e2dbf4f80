namespace Cema.Actors.Runtime;

/// <summary>The ref of an actor in this process: a thin handle over its cell.</summary>
internal sealed class LocalActorRef : IActorRef
{
    internal LocalActorRef(ActorCell cell, ActorPath path)
    {
        Cell = cell;
        Path = path;
    }

    internal ActorCell Cell { get; }

    public ActorPath Path { get; }

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, sender);
    }

    public ValueTask TellAsync(object message, IActorRef? sender = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Cell.PostAsync(message, sender, cancellationToken);
    }

    public override string ToString() => $"Actor[{Path}]";
}
