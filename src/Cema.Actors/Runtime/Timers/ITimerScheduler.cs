namespace Cema.Actors.Runtime;

/// <summary>
/// Timers owned by an actor (Akka's <c>ITimerScheduler</c>): their messages arrive in its
/// mailbox like any other, one key holds at most one timer (starting a key again replaces it),
/// and a cancelled or replaced timer's message is never delivered, even one already queued.
/// All timers stop when the actor stops or restarts. Use from the actor's own turn only.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to Self once, after <paramref name="delay"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan delay);

    /// <summary>Sends <paramref name="message"/> to Self every <paramref name="interval"/>, first after one interval.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();
}
