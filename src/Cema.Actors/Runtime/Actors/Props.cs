namespace Cema.Actors.Runtime;

/// <summary>
/// How to make an actor: a factory called for the first instance and again on every restart,
/// plus optional mailbox, dispatcher, supervision (of its children) and router settings.
/// Immutable; <c>With…</c> returns a copy.
/// </summary>
public sealed record Props
{
    private Props(Type actorType, Func<ActorBase> factory)
    {
        ActorType = actorType;
        Factory = factory;
    }

    public Type ActorType { get; }

    /// <summary>Null: the system's default mailbox.</summary>
    public MailboxSettings? Mailbox { get; init; }

    /// <summary>How the actor supervises its children unless it overrides SupervisorStrategy(). Null: the system default.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; init; }

    /// <summary>Non-null: ActorOf creates a pool router whose routees are made from these Props without the router.</summary>
    public Pool? Router { get; init; }

    internal Func<ActorBase> Factory { get; }

    /// <summary>
    /// Props for <typeparamref name="TActor"/>. The factory must build a new instance each call
    /// (it runs again on restart): <c>Props.Create(() => new Distiller(settings))</c>.
    /// </summary>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory);
    }

    public static Props Create<TActor>()
        where TActor : ActorBase, new() => new(typeof(TActor), static () => new TActor());

    public Props WithMailbox(MailboxSettings mailbox) => this with { Mailbox = mailbox };

    public Props WithRouter(Pool router) => this with { Router = router };

    public override string ToString() => $"Props({ActorType.Name})";
}
