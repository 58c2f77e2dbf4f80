using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Runtime;

/// <summary>Create, restart and stop: the instance's life inside the cell.</summary>
internal sealed partial class ActorCell
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActorBase? _actor;
    private volatile bool _terminating;
    private Exception? _recreateCause;

    /// <summary>Completes after PostStop ran and watchers and parent were told.</summary>
    internal Task WhenTerminated => _terminated.Task;

    internal bool IsTerminated => _terminated.Task.IsCompleted;

    private ValueTask ProcessSystemMessageAsync(SystemMessage message)
    {
        if (IsTerminated)
        {
            return ValueTask.CompletedTask;
        }
        return message switch
        {
            Create => CreateAsync(),
            Terminate => BeginTerminateAsync(),
            Recreate recreate => RecreateAsync(recreate.Cause),
            Resume => ResumeAsync(),
            Failed failed => HandleChildFailedAsync(failed),
            ChildTerminated child => HandleChildTerminatedAsync(child.Child),
            DeathWatchNotification notification => EnqueueTerminated(notification.Actor),
            _ => throw new UnreachableException($"Unknown system message {message}"),
        };
    }

    private async ValueTask CreateAsync()
    {
        try
        {
            _actor = NewActor();
            var pending = RunInContext(static (actor, _) => actor.AroundPreStart(), _actor, 0);
            if (pending is not null)
            {
                await AwaitPendingAsync(pending).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            await FlushOutboxAsync().ConfigureAwait(false);
            await HandleFailureAsync(
                new ActorInitializationException(Self, $"{Props.ActorType.Name} at {Self.Path} failed to start: {ex.Message}", ex),
                failed: null).ConfigureAwait(false);
            return;
        }
        await FlushOutboxAsync().ConfigureAwait(false);
    }

    private ActorBase NewActor()
    {
        var previousCell = t_current;
        var previousContext = SynchronizationContext.Current;
        t_current = this;
        t_constructing = this;
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        try
        {
            var actor = Props.Factory();
            if (actor is null || !ReferenceEquals(actor.Cell, this))
            {
                throw new InvalidOperationException(
                    $"The Props factory of {Props.ActorType.Name} must return a new instance on every call (it runs again on restart).");
            }
            return actor;
        }
        finally
        {
            t_constructing = null;
            t_current = previousCell;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    /// <summary>Restart, step one: retire the failed instance, then wait for the children it stopped.</summary>
    private async ValueTask RecreateAsync(Exception cause)
    {
        if (_terminating)
        {
            return;
        }
        var failed = _failedEnvelope;
        _failedEnvelope = null;
        _failureCause = null;
        // A redelivery that never ran (the fresh instance failed to start) stays owed.
        var redeliver = _redelivery;
        _redelivery = null;
        var old = _actor;
        if (old is not null)
        {
            if (failed is { } envelope)
            {
                redeliver = RedeliveryFor(old, envelope, cause);
            }
            try
            {
                var pending = RunInContext(static (actor, s) => actor.AroundPreRestart(s.cause, s.message), old, (cause, message: failed?.Message));
                if (pending is not null)
                {
                    await AwaitPendingAsync(pending).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                System.Log.LogError(ex, "PreRestart of {Actor} threw; restarting anyway", Self.Path);
            }
            await FlushOutboxAsync().ConfigureAwait(false);
        }
        _timers?.CancelAll();
        _actor = null;
        _redelivery = redeliver;
        if (failed is { } dropped && redeliver is null)
        {
            System.Log.LogDebug("{Actor} restarts without retrying the {MessageType} that failed (no redelivery requested)",
                Self.Path, dropped.Message.GetType().Name);
        }
        _recreateCause = cause;
        if (_stoppingChildren.Count == 0)
        {
            await FinishRecreateAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Restart, step two: a fresh instance from Props, PostRestart, then the mailbox again.</summary>
    private async ValueTask FinishRecreateAsync()
    {
        var cause = _recreateCause!;
        _recreateCause = null;
        try
        {
            _actor = NewActor();
            var pending = RunInContext(static (actor, c) => actor.AroundPostRestart(c), _actor, cause);
            if (pending is not null)
            {
                await AwaitPendingAsync(pending).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            await FlushOutboxAsync().ConfigureAwait(false);
            await HandleFailureAsync(
                new ActorInitializationException(Self, $"{Props.ActorType.Name} at {Self.Path} failed to restart: {ex.Message}", ex),
                failed: null).ConfigureAwait(false);
            return;
        }
        await FlushOutboxAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _restarts);
        _suspended = false;
        if (_escalatedFrom is { } child)
        {
            // The child whose failure we escalated is restarted too unless PreRestart stopped it.
            _escalatedFrom = null;
            if (IsChild(child) && !_stoppingChildren.Contains(child))
            {
                child.Cell.SendSystem(new Recreate(cause));
            }
        }
    }

    /// <summary>What the failed instance wants delivered again after the restart, with the failed message's sender.</summary>
    private Envelope? RedeliveryFor(ActorBase actor, Envelope failed, Exception cause)
    {
        try
        {
            return actor.RedeliveryFor(failed.Message, cause) is { } message ? failed with { Message = message } : null;
        }
        catch (Exception ex)
        {
            System.Log.LogError(ex, "RedeliverOnRestart of {Actor} threw; the failed message is not retried", Self.Path);
            return null;
        }
    }

    /// <summary>Stop, step one: no more user messages; stop the children and wait for them.</summary>
    private async ValueTask BeginTerminateAsync()
    {
        if (_terminating)
        {
            return;
        }
        _terminating = true;
        _timers?.CancelAll();
        foreach (var stats in _childStats.Values)
        {
            stats.PendingRestart?.Dispose();
        }
        if (_children.IsEmpty)
        {
            await FinishTerminateAsync().ConfigureAwait(false);
            return;
        }
        foreach (var child in _children.Values)
        {
            StopChild(child);
        }
    }

    private async ValueTask HandleChildTerminatedAsync(LocalActorRef child)
    {
        _children.TryRemove(new KeyValuePair<string, LocalActorRef>(child.Path.Name, child));
        if (_childStats.Remove(child, out var stats))
        {
            stats.PendingRestart?.Dispose();
        }
        _stoppingChildren.Remove(child);
        if (_terminating)
        {
            if (_children.IsEmpty)
            {
                await FinishTerminateAsync().ConfigureAwait(false);
            }
        }
        else if (_recreateCause is not null && _stoppingChildren.Count == 0)
        {
            await FinishRecreateAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stop, step two: PostStop, dead-letter what is left, tell watchers and parent.</summary>
    private async ValueTask FinishTerminateAsync()
    {
        if (IsTerminated)
        {
            return;
        }
        if (_actor is { } actor)
        {
            if (_failedEnvelope is { } failed && _failureCause is { } cause && RedeliveryFor(actor, failed, cause) is { } retry)
            {
                // Stopped (e.g. out of retries) instead of restarted: the message it wanted
                // retried is not lost silently.
                _redelivery = retry;
            }
            _failedEnvelope = null;
            _failureCause = null;
            try
            {
                var pending = RunInContext(static (a, _) => a.AroundPostStop(), actor, 0);
                if (pending is not null)
                {
                    await AwaitPendingAsync(pending).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                System.Log.LogError(ex, "PostStop of {Actor} threw", Self.Path);
            }
            await FlushOutboxAsync().ConfigureAwait(false);
        }
        _actor = null;
        Mailbox.Close();
        if (_redelivery is { } owed)
        {
            _redelivery = null;
            DeadLetter(owed, "actor stopped before its failed message could be retried");
        }
        while (Mailbox.TryDequeue(out var left))
        {
            DeadLetter(left, "actor stopped");
        }
        var watchers = CloseWatchers();
        foreach (var watchee in _watching)
        {
            ActorRefs.AsLocal(watchee)?.Cell.RemoveWatcher(SelfRef);
        }
        _watching.Clear();
        _notifications.Clear();
        foreach (var watcher in watchers)
        {
            NotifyWatcher(watcher);
        }
        _parent?.SendSystem(new ChildTerminated(SelfRef));
        _terminated.TrySetResult();
    }
}
