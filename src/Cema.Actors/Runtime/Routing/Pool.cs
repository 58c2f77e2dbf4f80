using Cema.Actors.Configuration;

namespace Cema.Actors.Runtime;

/// <summary>
/// A pool router: <c>ActorOf(Props.Create(() => new Worker()).WithRouter(new RoundRobinPool(4)))</c>
/// creates a router actor with 4 routee children made from those Props. The router forwards each
/// message to one routee keeping the original sender, supervises the routees (the pool's
/// strategy, else the system default), replaces nothing on its own, and can be resized while
/// running with <see cref="Resize"/>/<see cref="AdjustPoolSize"/>: shrinking removes routees from
/// routing at once and stops them with a PoisonPill, so they finish what they already hold.
/// </summary>
public abstract record Pool
{
    protected Pool(int nrOfInstances)
    {
        if (nrOfInstances < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(nrOfInstances), nrOfInstances, "A pool has at least one routee.");
        }
        NrOfInstances = nrOfInstances;
    }

    public int NrOfInstances { get; init; }

    /// <summary>How the router supervises its routees. Null: the system default.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; init; }

    /// <summary>
    /// The pool a config section describes, Akka-deployment style:
    /// <c>{ router = round-robin-pool | smallest-mailbox-pool, pool-size = 4 }</c>.
    /// </summary>
    public static Pool FromConfig(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var size = section.GetInt("pool-size");
        if (size < 1) throw section.OutOfRange("pool-size", "must be at least 1");
        return section.GetString("router") switch
        {
            "round-robin-pool" => new RoundRobinPool(size),
            "smallest-mailbox-pool" => new SmallestMailboxPool(size),
            var other => throw new ConfigException($"'{section.PathOf("router")}' must be round-robin-pool or smallest-mailbox-pool, but it is \"{other}\""),
        };
    }

    internal abstract RoutingLogic CreateRoutingLogic();
}

/// <summary>Routes to routees in turn (Akka's <c>RoundRobinPool</c>).</summary>
public sealed record RoundRobinPool : Pool
{
    public RoundRobinPool(int nrOfInstances)
        : base(nrOfInstances)
    {
    }

    internal override RoutingLogic CreateRoutingLogic() => new RoundRobinRoutingLogic();
}

/// <summary>
/// Routes to the routee with the fewest queued messages, preferring idle ones; ties go to the
/// first in routing order (Akka's <c>SmallestMailboxPool</c>). Suits jobs of uneven length.
/// </summary>
public sealed record SmallestMailboxPool : Pool
{
    public SmallestMailboxPool(int nrOfInstances)
        : base(nrOfInstances)
    {
    }

    internal override RoutingLogic CreateRoutingLogic() => new SmallestMailboxRoutingLogic();
}
