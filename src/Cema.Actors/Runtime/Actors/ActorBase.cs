namespace Cema.Actors.Runtime;

/// <summary>
/// Base of every actor: its receive, lifecycle hooks and supervision policy. The runtime creates
/// instances only through <see cref="Props"/>, runs at most one method of an instance at a time,
/// and replaces the instance on restart, so actor state needs no locks.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.TakeConstructing() ?? throw new InvalidOperationException(
            $"{GetType().Name} must be created by the actor system: ActorOf(Props.Create(() => new {GetType().Name}(...))).");
    }

    internal ActorCell Cell => _cell;

    protected IActorContext Context => _cell;

    protected IActorRef Self => _cell.Self;

    /// <summary>Sender of the current message; dead letters when it had none.</summary>
    protected IActorRef Sender => _cell.Sender;

    /// <summary>Akka's <c>IWithTimers.Timers</c>; the same object as <c>Context.Timers</c>.</summary>
    protected ITimerScheduler Timers => _cell.Timers;

    /// <summary>Handles <paramref name="message"/>; false means unhandled.</summary>
    protected abstract bool Receive(object message);

    /// <summary>
    /// Called for messages no handler took. Counts and logs them (throttled) and publishes an
    /// <see cref="UnhandledMessage"/>; an unhandled <see cref="Terminated"/> throws a
    /// <see cref="DeathPactException"/>, as in Akka.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }
        _cell.RecordUnhandled(message);
    }

    /// <summary>After construction, before the first message.</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>After the last message, once the children have stopped. Also runs on the old instance during a restart.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>
    /// On the failed instance before it is replaced. By default stops all children (a fresh
    /// instance recreates the ones it needs in its constructor or PreStart) and runs PostStop.
    /// </summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>On the fresh instance after a restart. By default runs PreStart.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children: the Props' strategy, else the system default.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => _cell.DefaultStrategyForChildren;

    /// <summary>
    /// Opt-in redelivery. <paramref name="message"/> threw <paramref name="cause"/> and the
    /// supervisor restarts this actor: return the message the fresh instance should receive first,
    /// before anything else in the mailbox (with the failed message's sender) — usually
    /// <paramref name="message"/> itself, or the job a failure message carries when the work was
    /// piped (<c>JobFailed f => f.Job</c>) — or null to drop it (the default, as in Akka). Asked of
    /// the failed instance on every restart, so a job that keeps failing is retried once per restart
    /// until the supervisor's retry limit stops the actor; then it goes to dead letters, counted.
    /// </summary>
    protected virtual object? RedeliverOnRestart(object message, Exception cause) => null;

    /// <summary>
    /// Runs asynchronous work as part of the current message: the actor takes no other message
    /// until the task completes, and a failed task fails the actor like a throwing receive.
    /// ReceiveActor's ReceiveAsync uses it.
    /// </summary>
    protected void RunTask(Func<Task> action) => _cell.RunTask(action);

    internal void AroundReceive(object message)
    {
        if (!Receive(message))
        {
            Unhandled(message);
        }
    }

    internal void AroundPreStart() => PreStart();

    internal void AroundPostStop() => PostStop();

    internal void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void AroundPostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy CurrentSupervisorStrategy() => SupervisorStrategy();

    internal object? RedeliveryFor(object message, Exception cause) => RedeliverOnRestart(message, cause);
}
