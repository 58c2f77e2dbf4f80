namespace Cema.Actors.Runtime;

/// <summary>
/// The parent of top-level actors (<c>/user</c>) and of the runtime's own (<c>/system</c>).
/// It receives nothing; it exists to supervise, and stopping it stops everything below.
/// </summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;

    /// <summary>A guardian is never restarted: that would stop every actor of the system.</summary>
    protected override void PreRestart(Exception reason, object? message)
    {
    }
}
