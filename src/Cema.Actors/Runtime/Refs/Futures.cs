using System.Runtime.ExceptionServices;

namespace Cema.Actors.Runtime;

/// <summary>Request-reply on top of Tell (Akka's <c>Futures.Ask</c>).</summary>
public static class Futures
{
    private static long s_askCounter;

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply ref as sender and completes with
    /// the first reply. A <see cref="Status.Failure"/> reply is rethrown; a reply that is not a
    /// <typeparamref name="T"/> is an <see cref="InvalidCastException"/>; no reply within
    /// <paramref name="timeout"/> (default: the system's ask-timeout) is an
    /// <see cref="AskTimeoutException"/> naming the actor and the message type.
    /// The send waits for room like TellAsync, and that wait counts against the timeout.
    /// </summary>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        var system = (ActorRefs.Unwrap(target) as LocalActorRef)?.Cell.System;
        var limit = timeout ?? system?.Settings.AskTimeout ?? ActorSystemSettings.Default.AskTimeout;
        if (limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), limit, "An ask timeout must be positive.");
        }

        var id = Interlocked.Increment(ref s_askCounter);
        var tempRoot = system?.TempPath ?? ActorPath.Root("unknown") / "temp";
        var promise = new PromiseActorRef(tempRoot / $"ask-{id}", system);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        object reply;
        try
        {
            await target.TellAsync(message, promise, deadline.Token).ConfigureAwait(false);
            reply = await promise.Reply.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            promise.Expire();
            throw new AskTimeoutException(target.Path, message.GetType(), limit);
        }

        return reply switch
        {
            Status.Failure failure => Rethrow<T>(failure.Cause),
            T typed => typed,
            _ => throw new InvalidCastException(
                $"Ask of {message.GetType().Name} to {target.Path} expected a reply of type {typeof(T).Name} but got {reply.GetType().Name}."),
        };
    }

    private static T Rethrow<T>(Exception cause)
    {
        ExceptionDispatchInfo.Capture(cause).Throw();
        return default!;
    }
}
