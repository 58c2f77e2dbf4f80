namespace Cema.Actors.Runtime;

/// <summary>
/// Long work off the mailbox (Akka's <c>PipeTo</c>). An actor must not block its turn on slow
/// work (a distillation step, I/O): start it as a task and pipe the outcome back to Self, so
/// the actor keeps answering while the task runs and handles the result as a normal message:
/// <code>
/// var replyTo = Sender;                          // capture before leaving the turn
/// Task.Run(() => Distill(job)).PipeTo(Self, replyTo);
/// Receive&lt;DistillResult&gt;(r => ...);   Receive&lt;Status.Failure&gt;(f => ...);
/// </code>
/// Success sends the result (or <c>success(result)</c>); failure sends
/// <see cref="Status.Failure"/> (or <c>failure(exception)</c>); cancellation is a failure
/// carrying a <see cref="TaskCanceledException"/>. The send waits for mailbox room like
/// TellAsync and never runs inside another actor's turn.
/// </summary>
public static class PipeToSupport
{
    public static async Task PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null,
        Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            // ForceYielding: whatever completed the task (possibly an actor's turn), the send
            // happens from the pool, not inline in that actor's context.
            var result = await task.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            message = success is null ? result! : success(result);
        }
        catch (Exception ex)
        {
            message = failure is null ? new Status.Failure(ex) : failure(ex);
        }
        await recipient.TellAsync(message, sender).ConfigureAwait(false);
    }

    public static async Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null,
        Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            await task.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            message = success is null ? new Status.Success(null) : success();
        }
        catch (Exception ex)
        {
            message = failure is null ? new Status.Failure(ex) : failure(ex);
        }
        await recipient.TellAsync(message, sender).ConfigureAwait(false);
    }
}
