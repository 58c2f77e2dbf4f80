namespace Cema.Actors.Runtime;

/// <summary>
/// An actor's constructor, PreStart or PostRestart threw. The default supervisor stops such an
/// actor: restarting code that cannot even start would only loop.
/// </summary>
public sealed class ActorInitializationException : Exception
{
    public ActorInitializationException(IActorRef actor, string message, Exception innerException)
        : base(message, innerException)
    {
        Actor = actor;
    }

    public IActorRef Actor { get; }
}

/// <summary>
/// A watcher received <see cref="Terminated"/> and had no handler for it: by Akka's rule it dies
/// too rather than silently keep using a dead collaborator.
/// </summary>
public sealed class DeathPactException : Exception
{
    public DeathPactException(IActorRef deadActor)
        : base($"Watched actor {deadActor.Path} terminated and the watcher does not handle Terminated.")
    {
        DeadActor = deadActor;
    }

    public IActorRef DeadActor { get; }
}

/// <summary>An actor name is malformed or already taken under the same parent.</summary>
public sealed class InvalidActorNameException : ArgumentException
{
    public InvalidActorNameException(string message)
        : base(message)
    {
    }
}
