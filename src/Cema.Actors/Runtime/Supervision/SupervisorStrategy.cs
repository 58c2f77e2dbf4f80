namespace Cema.Actors.Runtime;

/// <summary>
/// How a parent handles a failing child: a decider maps the exception to a <see cref="Directive"/>,
/// restarts are limited to <see cref="MaxNrOfRetries"/> within <see cref="WithinTimeRange"/> (then
/// the child is stopped), and spaced by <see cref="Backoff"/>.
/// </summary>
public abstract class SupervisorStrategy
{
    private readonly Func<Exception, Directive> _decider;

    private protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, RestartBackoff? backoff)
    {
        ArgumentNullException.ThrowIfNull(decider);
        if (maxNrOfRetries < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNrOfRetries), maxNrOfRetries, "Use -1 for unlimited restarts.");
        }
        if (withinTimeRange < TimeSpan.Zero && withinTimeRange != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(withinTimeRange), withinTimeRange, "Use Timeout.InfiniteTimeSpan for no window.");
        }
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        _decider = decider;
        Backoff = backoff ?? RestartBackoff.Immediate;
    }

    /// <summary>Restarts allowed within the window; -1 means unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window the retries are counted in; <see cref="Timeout.InfiniteTimeSpan"/> counts forever.</summary>
    public TimeSpan WithinTimeRange { get; }

    public RestartBackoff Backoff { get; }

    /// <summary>
    /// Akka's default decider: a failed start, a death pact or a kill stops the child; any other
    /// exception restarts it.
    /// </summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Stop a child whatever it threw.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>The directive for <paramref name="cause"/>; a decider that throws escalates.</summary>
    public Directive Decide(Exception cause) => _decider(cause);
}

/// <summary>A strategy that applies its directive to the failing child only (Akka's <c>OneForOneStrategy</c>).</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, RestartBackoff? backoff = null)
        : base(maxNrOfRetries, withinTimeRange, decider, backoff)
    {
    }

    public OneForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    /// <summary>The strategy described by configuration: limits and back-off, with <paramref name="decider"/> (default: Akka's).</summary>
    public static OneForOneStrategy FromSettings(SupervisionSettings settings, Func<Exception, Directive>? decider = null) =>
        new(settings.MaxNrOfRetries, settings.WithinTimeRange, decider ?? DefaultDecider, settings.Backoff);
}
