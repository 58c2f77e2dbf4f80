using Cema.Actors.Configuration;

namespace Cema.Actors.Runtime;

/// <summary>
/// A bounded mailbox: <paramref name="Capacity"/> user messages, then <paramref name="Overflow"/>.
/// <paramref name="PushTimeout"/> bounds how long a plain Tell waits on a full back-pressure
/// mailbox (Akka's <c>mailbox-push-timeout-time</c>). System messages (stop, watch,
/// supervision) never count against the capacity.
/// </summary>
public sealed record MailboxSettings(int Capacity, MailboxOverflow Overflow, TimeSpan PushTimeout)
{
    public static MailboxSettings Default { get; } = new(1000, MailboxOverflow.BackPressure, TimeSpan.FromSeconds(10));

    public int Capacity { get; init; } = Capacity >= 1
        ? Capacity
        : throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "A mailbox holds at least one message.");

    public TimeSpan PushTimeout { get; init; } = PushTimeout >= TimeSpan.Zero
        ? PushTimeout
        : throw new ArgumentOutOfRangeException(nameof(PushTimeout), PushTimeout, "A push timeout cannot be negative.");

    /// <summary>Reads <c>capacity</c>, <c>overflow</c> and <c>push-timeout</c> from a mailbox section.</summary>
    public static MailboxSettings FromConfig(Config section) => new(
        section.GetInt("capacity"),
        ParseOverflow(section.GetString("overflow"), "overflow"),
        section.GetDuration("push-timeout"));

    public static MailboxOverflow ParseOverflow(string text, string key = "overflow") => text switch
    {
        "back-pressure" => MailboxOverflow.BackPressure,
        "drop-newest" => MailboxOverflow.DropNewest,
        "drop-oldest" => MailboxOverflow.DropOldest,
        _ => throw new ConfigException($"'{key}' must be back-pressure, drop-newest or drop-oldest, but it is \"{text}\""),
    };
}
