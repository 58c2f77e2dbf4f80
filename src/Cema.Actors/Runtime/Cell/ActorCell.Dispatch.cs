using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Runtime;

/// <summary>
/// The run loop. A cell is scheduled on the thread pool when it has work and is not already
/// scheduled (<see cref="_scheduled"/>), which is what makes an actor process one message at a
/// time. A run takes the actor's turn (<see cref="_turn"/>), processes system messages first,
/// then up to <see cref="_throughput"/> user messages, and re-queues itself if work remains.
/// The turn is also what continuations of ReceiveAsync handlers take, so they never overlap
/// the actor's other work; the run releases it only while awaiting such a handler.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    [ThreadStatic]
    private static ActorCell? t_current;

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ActorSynchronizationContext _syncContext;
    private readonly int _throughput;
    private Envelope _currentEnvelope;
    private Task? _pendingTask;
    private bool _inReceive;
    private int _scheduled;
    private volatile bool _isProcessing;

    /// <summary>The actor whose code runs on this thread right now, if any.</summary>
    internal static ActorCell? Current => t_current;

    /// <summary>Processing a message right now (smallest-mailbox routing prefers idle routees).</summary>
    internal bool IsProcessing => _isProcessing;

    internal void SendSystem(SystemMessage message)
    {
        Mailbox.EnqueueSystem(message);
        Schedule();
    }

    internal void Schedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = RunAsync();

    /// <summary>Called from ActorBase.RunTask inside a receive or hook.</summary>
    internal void RunTask(Func<Task> action)
    {
        if (!_inReceive || !ReferenceEquals(t_current, this))
        {
            throw new InvalidOperationException("RunTask (and ReceiveAsync) can only start work from inside the actor's own receive or lifecycle hook.");
        }
        var task = action();
        _pendingTask = _pendingTask is null ? task : Task.WhenAll(_pendingTask, task);
    }

    /// <summary>Runs posted continuations of this actor's awaits, inside its turn (see ActorSynchronizationContext).</summary>
    internal async Task RunContinuationsAsync(ConcurrentQueue<(SendOrPostCallback Callback, object? State)> work)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            var previousCell = t_current;
            var previousContext = SynchronizationContext.Current;
            t_current = this;
            SynchronizationContext.SetSynchronizationContext(_syncContext);
            try
            {
                while (work.TryDequeue(out var item))
                {
                    try
                    {
                        item.Callback(item.State);
                    }
                    catch (Exception ex)
                    {
                        // Only async-void code gets here; awaited work reports through its task.
                        System.Log.LogError(ex, "An async continuation in {Actor} threw", Self.Path);
                    }
                }
            }
            finally
            {
                t_current = previousCell;
                SynchronizationContext.SetSynchronizationContext(previousContext);
            }
            await FlushOutboxAsync().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    private bool CanProcessUserMessages => _actor is not null && !_suspended && !_terminating;

    private bool HasWork() =>
        Mailbox.HasSystemMessages
        || (CanProcessUserMessages && (_redelivery is not null || _notifications.Count > 0 || Mailbox.Count > 0));

    private async Task RunAsync()
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            var budget = _throughput;
            while (true)
            {
                if (Mailbox.TryDequeueSystem(out var system))
                {
                    await ProcessSystemMessageAsync(system).ConfigureAwait(false);
                    continue;
                }
                if (budget == 0 || !CanProcessUserMessages || !TryTakeUserMessage(out var envelope))
                {
                    break;
                }
                budget--;
                await InvokeAsync(envelope).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Actor code failures are handled in InvokeAsync; this is a runtime bug.
            System.Log.LogCritical(ex, "Actor runtime error in {Actor}", Self.Path);
        }
        finally
        {
            _turn.Release();
        }
        Interlocked.Exchange(ref _scheduled, 0);
        if (HasWork())
        {
            // Back of the pool's queue, so other actors get a turn on a busy machine.
            Schedule();
        }
    }

    private bool TryTakeUserMessage(out Envelope envelope)
    {
        if (_redelivery is { } redelivery)
        {
            _redelivery = null;
            envelope = redelivery;
            return true;
        }
        while (_notifications.TryPeek(out var head) && (head.DeliverAfter <= _taken || Mailbox.Count == 0))
        {
            _notifications.Dequeue();
            // Unwatch after the notification was queued still suppresses it.
            if (head.Envelope.Message is Terminated terminated && _watching.Remove(terminated.ActorRef))
            {
                envelope = head.Envelope;
                return true;
            }
        }
        if (Mailbox.TryDequeue(out envelope))
        {
            _taken++;
            return true;
        }
        return false;
    }

    private async ValueTask InvokeAsync(Envelope envelope)
    {
        var message = envelope.Message;
        if (message is PoisonPill)
        {
            await BeginTerminateAsync().ConfigureAwait(false);
            return;
        }
        if (message is TimerScheduler.TimerMessage tick)
        {
            if (_timers is null || !_timers.TryAccept(tick, out message))
            {
                return;
            }
            envelope = new Envelope(message, null);
        }

        _currentEnvelope = envelope;
        _isProcessing = true;
        Exception? failure = null;
        try
        {
            var pending = RunInContext(static (actor, m) => actor.AroundReceive(m), _actor!, message);
            if (pending is not null)
            {
                await AwaitPendingAsync(pending).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            _isProcessing = false;
        }
        Interlocked.Increment(ref _processed);
        await FlushOutboxAsync().ConfigureAwait(false);
        _currentEnvelope = default;
        if (failure is not null)
        {
            await HandleFailureAsync(failure, envelope).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs actor code on this thread as the actor: sender inference and the outbox rule apply to
    /// its Tells, and its awaits resume on the actor's synchronization context. Returns the task
    /// the code started with RunTask, if any.
    /// </summary>
    private Task? RunInContext<TState>(Action<ActorBase, TState> action, ActorBase actor, TState state)
    {
        var previousCell = t_current;
        var previousContext = SynchronizationContext.Current;
        t_current = this;
        _inReceive = true;
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        try
        {
            action(actor, state);
        }
        catch
        {
            ObserveAndDiscard(_pendingTask);
            _pendingTask = null;
            throw;
        }
        finally
        {
            _inReceive = false;
            t_current = previousCell;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
        var pending = _pendingTask;
        _pendingTask = null;
        return pending;
    }

    /// <summary>Awaits a handler's task, letting its continuations take the turn meanwhile.</summary>
    private async ValueTask AwaitPendingAsync(Task pending)
    {
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
            return;
        }
        await FlushOutboxAsync().ConfigureAwait(false);
        _turn.Release();
        try
        {
            // ForceYielding: never resume inline on the thread that completed the task, which may
            // be running this actor's continuation and still hold the turn.
            await pending.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        finally
        {
            await _turn.WaitAsync().ConfigureAwait(false);
        }
    }

    private static void ObserveAndDiscard(Task? task) =>
        task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
