namespace Cema.Actors.Runtime;

/// <summary>
/// A parent's record of one child's restarts: the retry window (limit) and the consecutive
/// restart count (back-off). Pure bookkeeping over explicit times so it can be tested without
/// waiting; the cell passes its clock's elapsed time.
/// </summary>
internal sealed class ChildRestartStats
{
    private int _retriesInWindow;
    private TimeSpan? _windowStart;
    private TimeSpan? _lastRestartAt;

    /// <summary>Restarts since the child last ran stably for the back-off's reset period.</summary>
    public int ConsecutiveRestarts { get; private set; }

    public int TotalRestarts { get; private set; }

    /// <summary>A scheduled, not yet delivered restart; disposed if the child stops meanwhile.</summary>
    public ITimer? PendingRestart { get; set; }

    /// <summary>
    /// Counts one more failure and says whether a restart is still allowed: at most
    /// <paramref name="maxNrOfRetries"/> (-1: unlimited) within <paramref name="window"/> of the first
    /// counted failure (Akka's <c>ChildRestartStats.RequestRestartPermission</c>).
    /// </summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan window, TimeSpan now)
    {
        if (maxNrOfRetries < 0)
        {
            return true;
        }
        if (maxNrOfRetries == 0)
        {
            return false;
        }
        if (window == Timeout.InfiniteTimeSpan)
        {
            _retriesInWindow++;
            return _retriesInWindow <= maxNrOfRetries;
        }
        if (_windowStart is not { } start || now - start > window)
        {
            _windowStart = now;
            _retriesInWindow = 1;
            return true;
        }
        _retriesInWindow++;
        return _retriesInWindow <= maxNrOfRetries;
    }

    /// <summary>
    /// The delay before the restart being granted now, and records it. A child that ran
    /// <see cref="RestartBackoff.ResetAfter"/> since its last restart starts again from the minimum.
    /// </summary>
    public TimeSpan NextRestartDelay(RestartBackoff backoff, TimeSpan now, double random01)
    {
        if (_lastRestartAt is { } last && now - last >= backoff.ResetAfter)
        {
            ConsecutiveRestarts = 0;
        }
        var delay = backoff.DelayFor(ConsecutiveRestarts, random01);
        ConsecutiveRestarts++;
        TotalRestarts++;
        // Stability is measured from when the new instance starts, not from the failure.
        _lastRestartAt = now + delay;
        return delay;
    }
}
