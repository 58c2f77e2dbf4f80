using Cema.Actors.Runtime;

namespace Cema.Actors.Distiller;

/// <summary>The distiller pool.</summary>
/// <param name="PoolSize">Distillers in the pool, each with its own copy of the edge and foundation models.</param>
/// <param name="FailFirstJobs">Test hook: the first this many steps over the pool (restarts included) throw before running. 0 in production.</param>
public sealed record DistillerSettings(int PoolSize, int FailFirstJobs = 0)
{
    /// <summary>Two distillers: the machine's two cores.</summary>
    public static DistillerSettings Default { get; } = new(2);

    public DistillerSettings Validate()
    {
        if (PoolSize <= 0) throw new ArgumentOutOfRangeException(nameof(PoolSize), PoolSize, "DistillerSettings.PoolSize must be positive");
        if (FailFirstJobs < 0) throw new ArgumentOutOfRangeException(nameof(FailFirstJobs), FailFirstJobs, "DistillerSettings.FailFirstJobs must not be negative");
        return this;
    }

    internal Pool Pool() => new SmallestMailboxPool(PoolSize);
}
