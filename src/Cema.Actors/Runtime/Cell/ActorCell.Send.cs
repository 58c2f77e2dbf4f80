using System.Threading.Channels;

namespace Cema.Actors.Runtime;

/// <summary>
/// Delivery into this cell's mailbox, and the back-pressure rule. On a full back-pressure mailbox:
/// <list type="bullet">
/// <item>TellAsync outside an actor awaits room (caller's token only);</item>
/// <item>Tell outside an actor blocks its thread up to the push-timeout, then dead-letters;</item>
/// <item>Tell or TellAsync inside an actor parks the message in the sender's outbox and the
/// sender takes no further message until the outbox is accepted; each parked message waits up
/// to the target's push-timeout, then is dead-lettered. No thread blocks, so a cycle of full
/// actors resolves after the timeout instead of deadlocking the system;</item>
/// <item>an actor telling itself on its own full mailbox dead-letters at once (it would wait for itself).</item>
/// </list>
/// </summary>
internal sealed partial class ActorCell
{
    private readonly Outbox _outbox = new();

    internal void Post(object message, IActorRef? sender)
    {
        var current = t_current;
        var envelope = new Envelope(message, sender is null ? current?.SelfRef : ActorRefs.Unwrap(sender));
        if (current is not null)
        {
            current.SendFromActor(this, envelope);
            return;
        }
        switch (Mailbox.TryEnqueue(envelope))
        {
            case EnqueueResult.Enqueued:
                Schedule();
                break;
            case EnqueueResult.Closed:
                DeadLetter(envelope, "recipient stopped");
                break;
            case EnqueueResult.Full:
                PostBlocking(envelope);
                break;
            case EnqueueResult.Dropped:
                break;
        }
    }

    internal ValueTask PostAsync(object message, IActorRef? sender, CancellationToken cancellationToken)
    {
        if (t_current is not null)
        {
            // Inside an actor the actor is what waits (outbox), so the send itself completes now.
            Post(message, sender);
            return ValueTask.CompletedTask;
        }
        var envelope = new Envelope(message, ActorRefs.UnwrapOrNull(sender));
        switch (Mailbox.TryEnqueue(envelope))
        {
            case EnqueueResult.Enqueued:
                Schedule();
                return ValueTask.CompletedTask;
            case EnqueueResult.Closed:
                DeadLetter(envelope, "recipient stopped");
                return ValueTask.CompletedTask;
            case EnqueueResult.Full:
                return WaitAndPostAsync(envelope, cancellationToken);
            default:
                return ValueTask.CompletedTask;
        }
    }

    /// <summary>A message that will never be processed: counted on this cell and in the system, and logged.</summary>
    internal void DeadLetter(Envelope envelope, string reason)
    {
        if (envelope.Message is TimerScheduler.TimerMessage)
        {
            // A timer tick for a stopped actor: the timer died with it, nothing was lost.
            return;
        }
        Mailbox.CountDeadLetter();
        System.RecordDeadLetter(new DeadLetter(envelope.Message, envelope.Sender, Self), reason);
    }

    /// <summary>This cell is the sender, running its turn; <paramref name="target"/> receives.</summary>
    private void SendFromActor(ActorCell target, Envelope envelope)
    {
        if (_outbox.HasPendingFor(target))
        {
            _outbox.Add(target, envelope);
            return;
        }
        switch (target.Mailbox.TryEnqueue(envelope))
        {
            case EnqueueResult.Enqueued:
                target.Schedule();
                break;
            case EnqueueResult.Closed:
                target.DeadLetter(envelope, "recipient stopped");
                break;
            case EnqueueResult.Full when ReferenceEquals(target, this):
                target.DeadLetter(envelope, "own mailbox full; an actor cannot wait for room in its own mailbox");
                break;
            case EnqueueResult.Full:
                _outbox.Add(target, envelope);
                break;
            case EnqueueResult.Dropped:
                break;
        }
    }

    private void PostBlocking(Envelope envelope)
    {
        var timeout = Mailbox.Settings.PushTimeout;
        using var deadline = new CancellationTokenSource(timeout, System.TimeProvider);
        try
        {
            Mailbox.WriteAsync(envelope, deadline.Token).AsTask().GetAwaiter().GetResult();
            Schedule();
        }
        catch (OperationCanceledException)
        {
            DeadLetter(envelope, $"mailbox full for the push-timeout ({timeout.TotalMilliseconds:0} ms)");
        }
        catch (ChannelClosedException)
        {
            DeadLetter(envelope, "recipient stopped");
        }
    }

    private async ValueTask WaitAndPostAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await Mailbox.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
            Schedule();
        }
        catch (ChannelClosedException)
        {
            DeadLetter(envelope, "recipient stopped");
        }
    }

    /// <summary>Delivers what this actor parked during its turn; runs before the turn ends.</summary>
    private async ValueTask FlushOutboxAsync()
    {
        while (_outbox.TryDequeue(out var target, out var envelope))
        {
            var timeout = target.Mailbox.Settings.PushTimeout;
            using var deadline = new CancellationTokenSource(timeout, System.TimeProvider);
            try
            {
                await target.Mailbox.WriteAsync(envelope, deadline.Token).ConfigureAwait(false);
                target.Schedule();
            }
            catch (OperationCanceledException)
            {
                target.DeadLetter(envelope, $"mailbox full for the push-timeout ({timeout.TotalMilliseconds:0} ms); sender {Self.Path} gave up");
            }
            catch (ChannelClosedException)
            {
                target.DeadLetter(envelope, "recipient stopped");
            }
        }
    }
}
