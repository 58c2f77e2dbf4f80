using Microsoft.Extensions.Logging;

namespace Cema.Actors.Runtime;

/// <summary>
/// Supervision. A failing actor suspends itself (takes no user messages) and reports to its
/// parent; the parent's strategy picks the directive and, for Restart, the back-off delay.
/// </summary>
internal sealed partial class ActorCell
{
    private volatile bool _suspended;
    private Envelope? _failedEnvelope;
    private Exception? _failureCause;
    private Envelope? _redelivery;
    private LocalActorRef? _escalatedFrom;

    /// <summary>Failed and waiting for its supervisor's decision or restart back-off.</summary>
    internal bool IsSuspended => _suspended;

    private async ValueTask HandleFailureAsync(Exception cause, Envelope? failed, LocalActorRef? escalatedFrom = null)
    {
        if (_terminating)
        {
            System.Log.LogError(cause, "{Actor} failed while stopping", Self.Path);
            return;
        }
        _suspended = true;
        _failedEnvelope = failed;
        _failureCause = cause;
        _escalatedFrom = escalatedFrom;
        if (escalatedFrom is not null)
        {
            System.Log.LogWarning("{Actor} escalates the failure of its child {Child}: {Cause}", Self.Path, escalatedFrom.Path, cause.Message);
        }
        else
        {
            System.Log.LogError(cause, "{Actor} failed processing {MessageType}", Self.Path, failed?.Message.GetType().Name ?? "its start");
        }
        if (_parent is null)
        {
            System.Log.LogCritical(cause, "Guardian {Actor} failed; stopping it", Self.Path);
            await BeginTerminateAsync().ConfigureAwait(false);
            return;
        }
        _parent.SendSystem(new Failed(SelfRef, cause));
    }

    private async ValueTask HandleChildFailedAsync(Failed failed)
    {
        var child = failed.Child;
        if (_terminating || !IsChild(child) || _stoppingChildren.Contains(child))
        {
            // Stale: the child is already on its way out.
            return;
        }
        var strategy = CurrentSupervisorStrategy();
        Directive directive;
        try
        {
            directive = strategy.Decide(failed.Cause);
        }
        catch (Exception ex)
        {
            System.Log.LogError(ex, "The supervisor strategy of {Actor} threw deciding about {Child}; escalating", Self.Path, child.Path);
            directive = Directive.Escalate;
        }

        switch (directive)
        {
            case Directive.Resume:
                System.Log.LogWarning("Resuming {Child} after {Cause}", child.Path, failed.Cause.GetType().Name);
                child.Cell.SendSystem(Resume.Instance);
                break;
            case Directive.Restart:
                RestartChild(child, failed.Cause, strategy);
                break;
            case Directive.Stop:
                System.Log.LogWarning("Stopping {Child} after {Cause}", child.Path, failed.Cause.GetType().Name);
                StopChild(child);
                break;
            case Directive.Escalate when _parent is null:
                System.Log.LogError(failed.Cause, "Top-level actor {Child} escalated its failure; the guardian stops it", child.Path);
                StopChild(child);
                break;
            case Directive.Escalate:
                await HandleFailureAsync(failed.Cause, failed: null, escalatedFrom: child).ConfigureAwait(false);
                break;
        }
    }

    private void RestartChild(LocalActorRef child, Exception cause, SupervisorStrategy strategy)
    {
        if (!_childStats.TryGetValue(child, out var stats))
        {
            stats = new ChildRestartStats();
            _childStats[child] = stats;
        }
        var now = System.Elapsed;
        if (!stats.RequestRestartPermission(strategy.MaxNrOfRetries, strategy.WithinTimeRange, now))
        {
            System.Log.LogError(cause, "{Child} failed more than {MaxNrOfRetries} times within {Window}; stopping it",
                child.Path, strategy.MaxNrOfRetries, strategy.WithinTimeRange);
            StopChild(child);
            return;
        }
        var delay = stats.NextRestartDelay(strategy.Backoff, now, Random.Shared.NextDouble());
        System.Log.LogWarning("Restarting {Child} in {Delay} (restart {RestartNumber}, {ConsecutiveRestarts} in a row) after {Cause}",
            child.Path, delay, stats.TotalRestarts, stats.ConsecutiveRestarts, cause.GetType().Name);
        if (delay <= TimeSpan.Zero)
        {
            child.Cell.SendSystem(new Recreate(cause));
            return;
        }
        stats.PendingRestart?.Dispose();
        stats.PendingRestart = System.TimeProvider.CreateTimer(
            static state =>
            {
                var (cell, reason) = ((ActorCell, Exception))state!;
                cell.SendSystem(new Recreate(reason));
            },
            (child.Cell, cause),
            delay,
            Timeout.InfiniteTimeSpan);
    }

    private ValueTask ResumeAsync()
    {
        if (_terminating)
        {
            return ValueTask.CompletedTask;
        }
        if (_actor is null)
        {
            // Nothing to resume when the instance never started: start one.
            return RecreateAsync(new InvalidOperationException($"{Self.Path} was resumed without a running instance"));
        }
        _failedEnvelope = null;
        _failureCause = null;
        _suspended = false;
        if (_escalatedFrom is { } child)
        {
            _escalatedFrom = null;
            child.Cell.SendSystem(Resume.Instance);
        }
        return ValueTask.CompletedTask;
    }

    private SupervisorStrategy CurrentSupervisorStrategy()
    {
        try
        {
            return _actor?.CurrentSupervisorStrategy() ?? DefaultStrategyForChildren;
        }
        catch (Exception ex)
        {
            System.Log.LogError(ex, "SupervisorStrategy() of {Actor} threw; using the default", Self.Path);
            return DefaultStrategyForChildren;
        }
    }
}
