namespace Cema.Actors.Runtime;

/// <summary>
/// How an actor shares the thread pool: it processes at most <paramref name="Throughput"/>
/// messages per turn before yielding its thread, so one busy actor cannot starve the others on
/// a two-core machine.
/// </summary>
public sealed record DispatcherSettings(int Throughput)
{
    public static DispatcherSettings Default { get; } = new(30);

    public int Throughput { get; init; } = Throughput >= 1
        ? Throughput
        : throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, "Throughput must be at least 1.");
}
