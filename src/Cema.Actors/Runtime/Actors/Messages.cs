namespace Cema.Actors.Runtime;

/// <summary>
/// Stops the receiving actor once it reaches this message, so everything queued before it is
/// still processed (graceful stop). <see cref="ActorSystem.Stop"/> stops after the current message.
/// </summary>
public sealed record PoisonPill
{
    public static PoisonPill Instance { get; } = new();

    private PoisonPill()
    {
    }
}

/// <summary>Delivered to every watcher when <paramref name="ActorRef"/> stops, whatever the reason.</summary>
public sealed record Terminated(IActorRef ActorRef);

/// <summary>A message that could not be delivered, as published on the event stream.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>A message no receive handler matched, as published on the event stream.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>Outcome messages for piped tasks and asks (Akka's <c>Status</c>).</summary>
public static class Status
{
    /// <summary>A completed non-generic task piped to an actor.</summary>
    public sealed record Success(object? Result);

    /// <summary>A failed task piped to an actor, or a failure reply to an ask (which rethrows it).</summary>
    public sealed record Failure(Exception Cause);
}
