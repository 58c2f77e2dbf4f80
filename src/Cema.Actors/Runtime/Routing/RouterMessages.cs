namespace Cema.Actors.Runtime;

/// <summary>Sent to a router: delivers <paramref name="Message"/> to every routee.</summary>
public sealed record Broadcast(object Message);

/// <summary>Sent to a pool router: grow or shrink to <paramref name="NrOfInstances"/> routees (at least 1).</summary>
public sealed record Resize(int NrOfInstances);

/// <summary>Sent to a pool router: change the number of routees by <paramref name="Change"/> (Akka's message).</summary>
public sealed record AdjustPoolSize(int Change);

/// <summary>Asks a router for its current routees; it replies <see cref="Routees"/>.</summary>
public sealed record GetRoutees
{
    public static GetRoutees Instance { get; } = new();
}

/// <summary>A router's routees, in routing order.</summary>
public sealed record Routees(IReadOnlyList<IActorRef> Members);
