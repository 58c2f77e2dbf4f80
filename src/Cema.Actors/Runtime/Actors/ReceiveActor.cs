namespace Cema.Actors.Runtime;

/// <summary>
/// An actor whose behaviour is a list of typed handlers registered in its constructor, tried in
/// registration order; the first that matches handles the message (Akka's <c>ReceiveActor</c>).
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private List<Func<object, bool>> _handlers = [];

    /// <summary>Handles messages of type <typeparamref name="T"/> (that satisfy <paramref name="shouldHandle"/>).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(message =>
        {
            if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                handler(typed);
                return true;
            }
            return false;
        });
    }

    /// <summary>
    /// Like <see cref="Receive{T}(Action{T}, Predicate{T})"/> for asynchronous handlers: the actor
    /// takes no other message until the returned task completes. Awaits resume on the actor, so
    /// Sender, Self and Context remain usable after them.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(message =>
        {
            if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                RunTask(() => handler(typed));
                return true;
            }
            return false;
        });
    }

    /// <summary>Handles any message not taken by an earlier handler.</summary>
    protected void ReceiveAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(message =>
        {
            handler(message);
            return true;
        });
    }

    protected void ReceiveAnyAsync(Func<object, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(message =>
        {
            RunTask(() => handler(message));
            return true;
        });
    }

    /// <summary>Replaces all handlers with the ones <paramref name="configure"/> registers (Akka's <c>Become</c>).</summary>
    protected void Become(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _handlers = [];
        configure();
    }

    protected sealed override bool Receive(object message)
    {
        foreach (var handler in _handlers)
        {
            if (handler(message))
            {
                return true;
            }
        }
        return false;
    }
}
