using Microsoft.Extensions.Logging;

namespace Cema.Actors.Runtime;

/// <summary>
/// What an actor may do about itself and its children while it processes a message. Valid only
/// on the actor's own turn (its receive, its lifecycle hooks, and code after an await in a
/// ReceiveAsync handler); capture <see cref="Self"/> and <see cref="Sender"/> in locals before
/// handing work to other threads.
/// </summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>Sender of the current message; dead letters when it had none.</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor. A top-level actor's parent is the user guardian.</summary>
    IActorRef Parent { get; }

    ActorSystem System { get; }

    Props Props { get; }

    /// <summary>Timers whose messages arrive in this actor's mailbox; cancelled when it stops or restarts.</summary>
    ITimerScheduler Timers { get; }

    /// <summary>Creates a child, supervised by this actor. A null name is generated (<c>$1</c>, <c>$2</c>…).</summary>
    IActorRef ActorOf(Props props, string? name = null);

    IEnumerable<IActorRef> GetChildren();

    /// <summary>Stops a child or this actor after the current message; the rest of its mailbox is dead-lettered.</summary>
    void Stop(IActorRef actor);

    /// <summary>
    /// Delivers <see cref="Terminated"/> when <paramref name="subject"/> stops, at once if it is
    /// already dead. An unhandled Terminated stops the watcher (<see cref="DeathPactException"/>).
    /// </summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>No Terminated for <paramref name="subject"/> from now on, even one already on its way.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>A logger named after the actor's class (Akka's <c>Context.GetLogger()</c>).</summary>
    ILogger GetLogger();
}
