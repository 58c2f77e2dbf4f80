namespace Cema.Actors.Runtime;

/// <summary>What a full mailbox does with one more message.</summary>
public enum MailboxOverflow
{
    /// <summary>
    /// The sender waits for room: TellAsync awaits; Tell from outside an actor blocks up to the
    /// push-timeout; Tell from inside an actor parks the message and pauses the sending actor.
    /// After the push-timeout the message is dead-lettered and counted. Nothing is dropped silently.
    /// </summary>
    BackPressure,

    /// <summary>The incoming message is discarded and counted; the queue keeps the older messages.</summary>
    DropNewest,

    /// <summary>The oldest queued message is discarded and counted to make room (latest value wins).</summary>
    DropOldest,
}
