using Cema.Actors.Configuration;
using Cema.Actors.Runtime;

namespace Cema.Actors.Distiller;

/// <summary>The distiller pool.</summary>
/// <param name="PoolSize">Distillers in the pool, each with its own copy of the edge and foundation models.</param>
/// <param name="FailFirstJobs">Test hook: the first this many steps over the pool (restarts included) throw before running. 0 in production.</param>
/// <param name="RoundRobin">Route jobs in turn instead of to the distiller with the fewest queued.</param>
public sealed record DistillerSettings(int PoolSize, int FailFirstJobs = 0, bool RoundRobin = false)
{
    /// <summary>Reads <c>cema.cloud.distillers</c> (<c>router</c>, <c>pool-size</c>).</summary>
    public static DistillerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var pool = Runtime.Pool.FromConfig(config.GetConfig("cema.cloud.distillers"));
        return new DistillerSettings(pool.NrOfInstances, RoundRobin: pool is RoundRobinPool).Validate();
    }

    public DistillerSettings Validate()
    {
        if (PoolSize <= 0) throw new ArgumentOutOfRangeException(nameof(PoolSize), PoolSize, "DistillerSettings.PoolSize must be positive");
        if (FailFirstJobs < 0) throw new ArgumentOutOfRangeException(nameof(FailFirstJobs), FailFirstJobs, "DistillerSettings.FailFirstJobs must not be negative");
        return this;
    }

    internal Pool Pool() => RoundRobin ? new RoundRobinPool(PoolSize) : new SmallestMailboxPool(PoolSize);
}
