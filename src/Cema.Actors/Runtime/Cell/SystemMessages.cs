namespace Cema.Actors.Runtime;

/// <summary>
/// Messages between cells that drive lifecycle and supervision. They bypass the bounded user
/// mailbox and are processed before user messages, even while the actor is suspended.
/// </summary>
internal abstract record SystemMessage;

/// <summary>Construct the actor and run PreStart.</summary>
internal sealed record Create : SystemMessage
{
    public static Create Instance { get; } = new();
}

/// <summary>Stop after the current message: children first, then PostStop.</summary>
internal sealed record Terminate : SystemMessage
{
    public static Terminate Instance { get; } = new();
}

/// <summary>The supervisor decided Restart: replace the instance.</summary>
internal sealed record Recreate(Exception Cause) : SystemMessage;

/// <summary>The supervisor decided Resume: carry on with the same instance.</summary>
internal sealed record Resume : SystemMessage
{
    public static Resume Instance { get; } = new();
}

/// <summary>Child → parent: I threw and am suspended until you decide.</summary>
internal sealed record Failed(LocalActorRef Child, Exception Cause) : SystemMessage;

/// <summary>Child → parent: I have stopped (frees the name, ends a wait for children).</summary>
internal sealed record ChildTerminated(LocalActorRef Child) : SystemMessage;

/// <summary>Watchee → watcher: deliver <see cref="Terminated"/> if still watching.</summary>
internal sealed record DeathWatchNotification(IActorRef Actor) : SystemMessage;
