using Cema.Actors.Configuration;

namespace Cema.Actors.Runtime;

/// <summary>
/// The configurable part of the default supervisor strategy: restart limits and back-off. The
/// decider is code (exception types), so it is not configurable.
/// </summary>
public sealed record SupervisionSettings(int MaxNrOfRetries, TimeSpan WithinTimeRange, RestartBackoff Backoff)
{
    // Checked here too, not only by the strategy, so a bad value fails when the configuration is read.
    public int MaxNrOfRetries { get; init; } = MaxNrOfRetries >= -1
        ? MaxNrOfRetries
        : throw new ArgumentOutOfRangeException(nameof(MaxNrOfRetries), MaxNrOfRetries, "MaxNrOfRetries must be -1 (unlimited) or more");

    /// <summary>
    /// Ten restarts a minute, 100 ms doubling to 10 s with 20 % jitter, reset after 30 s stable:
    /// a persistent fault (bad config, lost broker) stops the actor within about a minute instead
    /// of restarting in a hot loop, and transient faults still heal on their own.
    /// </summary>
    public static SupervisionSettings Default { get; } = new(
        10,
        TimeSpan.FromMinutes(1),
        new RestartBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), 0.2, TimeSpan.FromSeconds(30)));

    /// <summary>Reads <c>max-retries</c>, <c>within</c> and <c>backoff { min, max, random-factor, reset-after }</c>.</summary>
    public static SupervisionSettings FromConfig(Config section) => new(
        section.GetInt("max-retries"),
        section.GetDuration("within"),
        new RestartBackoff(
            section.GetDuration("backoff.min"),
            section.GetDuration("backoff.max"),
            section.GetDouble("backoff.random-factor"),
            section.GetDuration("backoff.reset-after")));
}
