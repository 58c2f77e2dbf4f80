namespace Cema.Actors.Runtime;

/// <summary>An ask got no reply in time. Says who was asked, what, and how long we waited.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    public AskTimeoutException(ActorPath target, Type messageType, TimeSpan timeout)
        : base($"Ask timed out after {timeout.TotalMilliseconds:0} ms: {target} did not reply to {messageType.Name}.")
    {
        Target = target;
        MessageType = messageType;
        Timeout = timeout;
    }

    public ActorPath Target { get; }

    public Type MessageType { get; }

    public TimeSpan Timeout { get; }
}
