namespace Cema.Actors.Runtime;

/// <summary>
/// Death watch. The watchee keeps its watchers under a lock (they register from other actors'
/// turns); the watcher keeps what it watches in <see cref="_watching"/>, on its own turn, and
/// delivers Terminated through <see cref="_notifications"/> so it bypasses the bounded mailbox
/// (a full or dropping mailbox must not lose a death) but still respects suspension. As in Akka,
/// Terminated comes after every message the dead actor sent before it died: a notification waits
/// until the messages already queued when it arrived have been taken.
/// </summary>
internal sealed partial class ActorCell
{
    private readonly Lock _watchLock = new();
    private readonly HashSet<IActorRef> _watchers = [];
    private readonly HashSet<IActorRef> _watching = [];
    private readonly Queue<(Envelope Envelope, long DeliverAfter)> _notifications = new();
    private long _taken;
    private bool _watchersClosed;

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var target = ActorRefs.Unwrap(subject);
        if (ReferenceEquals(target, SelfRef))
        {
            return subject;
        }
        if (target is not LocalActorRef local)
        {
            throw new NotSupportedException($"Only actors of an actor system can be watched, not {subject}.");
        }
        if (_watching.Add(local))
        {
            local.Cell.AddWatcher(SelfRef);
        }
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (ActorRefs.Unwrap(subject) is LocalActorRef local && _watching.Remove(local))
        {
            local.Cell.RemoveWatcher(SelfRef);
        }
        return subject;
    }

    internal void AddWatcher(LocalActorRef watcher)
    {
        bool alreadyDead;
        lock (_watchLock)
        {
            alreadyDead = _watchersClosed;
            if (!alreadyDead)
            {
                _watchers.Add(watcher);
            }
        }
        if (alreadyDead)
        {
            NotifyWatcher(watcher);
        }
    }

    internal void RemoveWatcher(LocalActorRef watcher)
    {
        lock (_watchLock)
        {
            _watchers.Remove(watcher);
        }
    }

    private IActorRef[] CloseWatchers()
    {
        lock (_watchLock)
        {
            _watchersClosed = true;
            var watchers = _watchers.ToArray();
            _watchers.Clear();
            return watchers;
        }
    }

    private void NotifyWatcher(IActorRef watcher)
    {
        if (watcher is LocalActorRef local)
        {
            local.Cell.SendSystem(new DeathWatchNotification(SelfRef));
        }
    }

    private ValueTask EnqueueTerminated(IActorRef actor)
    {
        if (!_terminating)
        {
            _notifications.Enqueue((new Envelope(new Terminated(actor), actor), _taken + Mailbox.Count));
        }
        return ValueTask.CompletedTask;
    }
}
