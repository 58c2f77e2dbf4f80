namespace Cema.Actors.Runtime;

/// <summary>
/// Which occurrences of a repeated event (dead letter, drop, unhandled message, publish to
/// nobody) are logged as warnings: the first ten, then the 16th, 32nd, 64th… Every occurrence is
/// still counted; the log says the running total, so a flood is visible without drowning the log.
/// </summary>
internal static class LogThrottle
{
    public static bool ShouldLog(long count) => count <= 10 || (count & (count - 1)) == 0;
}
