using System.Collections.Concurrent;

namespace Cema.Actors.Runtime;

/// <summary>
/// Where an actor's awaits resume: continuations run one at a time, inside the actor's turn and
/// with its context set, so code after an <c>await</c> in a ReceiveAsync handler may use
/// Context, Sender and Tell exactly like synchronous code, and never overlaps the actor's other
/// work (also not fire-and-forget tasks started from a handler). ConfigureAwait(false) opts
/// out of all that, as in Akka.
/// </summary>
internal sealed class ActorSynchronizationContext : SynchronizationContext
{
    private readonly ActorCell _cell;
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _work = new();
    private int _draining;

    public ActorSynchronizationContext(ActorCell cell) => _cell = cell;

    public override void Post(SendOrPostCallback d, object? state)
    {
        _work.Enqueue((d, state));
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.DrainAsync(), this, preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would deadlock; post or tell instead.");

    public override SynchronizationContext CreateCopy() => this;

    private async Task DrainAsync()
    {
        while (true)
        {
            await _cell.RunContinuationsAsync(_work).ConfigureAwait(false);
            Volatile.Write(ref _draining, 0);
            if (_work.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }
}
