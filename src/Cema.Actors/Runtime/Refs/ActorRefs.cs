namespace Cema.Actors.Runtime;

/// <summary>Helpers for refs (Akka's <c>ActorRefs</c> and <c>ICanTell</c> extensions).</summary>
public static class ActorRefs
{
    /// <summary>
    /// Sends <paramref name="message"/> keeping the current message's sender, so the recipient
    /// replies to the original asker. Only meaningful inside an actor.
    /// </summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        var current = ActorCell.Current
            ?? throw new InvalidOperationException("Forward is only valid inside an actor's receive.");
        receiver.Tell(message, current.CurrentSender);
    }

    /// <summary>The underlying ref: unwraps proxies (a TestProbe) so identity comparisons hold.</summary>
    internal static IActorRef Unwrap(IActorRef actor)
    {
        while (actor is IActorRefProxy proxy)
        {
            actor = proxy.Ref;
        }
        return actor;
    }

    internal static IActorRef? UnwrapOrNull(IActorRef? actor) => actor is null ? null : Unwrap(actor);

    internal static LocalActorRef? AsLocal(IActorRef actor) => Unwrap(actor) as LocalActorRef;
}
