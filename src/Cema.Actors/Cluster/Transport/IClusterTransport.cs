using Cema.Actors.Cluster.Wire;
using Cema.Actors.Cluster.Wire.Proto;

namespace Cema.Actors.Cluster.Transport;

/// <summary>
/// What CEMA needs between processes, and nothing more; <see cref="InProcessTransport"/> and
/// <see cref="RabbitMqTransport"/> implement it and pass one contract suite
/// (tests/Cema.Integration.Tests/Transport/TransportContract.cs). The contract:
/// <list type="bullet">
/// <item><b>Queues</b> (<see cref="DeclareAsync"/>) are either durable work queues (uploads, distill jobs, results:
/// survive a broker restart, messages persistent) or a node's inbox (transient, bounded with the oldest dropped, bound to topics).</item>
/// <item><see cref="SendAsync"/> puts a message on a named queue and completes once the transport has stored it
/// (RabbitMQ: publisher confirm). Sending to a queue nobody declared is an error, not a silent drop. While the
/// broker is away a send retries until the send timeout.</item>
/// <item><see cref="PublishAsync"/> copies a message to every queue bound to the topic; with none bound it is
/// dropped (at most once: a receiver that missed an update asks for the latest).</item>
/// <item><see cref="ConsumeAsync"/>: competing consumers, at most <c>prefetch</c> unacknowledged deliveries per
/// consumer. A delivery is acknowledged when the handler completes; a handler that throws has its message
/// delivered again (after the redelivery delay), as has every unacknowledged message of a consumer that stops
/// or a process that dies. So a message is removed only after its handler stored what it had to.</item>
/// <item>Every message goes through <see cref="Codec"/>: an oversized message is refused at the sender with a
/// <see cref="WireLimitException"/> naming the limit, and one that cannot be read (too large, foreign schema,
/// damaged) is dropped at the receiver, counted in <see cref="Stats"/> and logged, without disturbing the next.</item>
/// </list>
/// </summary>
public interface IClusterTransport : IAsyncDisposable
{
    /// <summary>"in-process" or "rabbitmq".</summary>
    string Kind { get; }

    WireCodec Codec { get; }

    TransportStats Stats { get; }

    /// <summary>Creates the queue (and its topic bindings) if it does not exist; idempotent for the same spec.</summary>
    Task DeclareAsync(QueueSpec queue, CancellationToken cancellationToken = default);

    Task SendAsync(string queue, Envelope message, CancellationToken cancellationToken = default);

    Task PublishAsync(string topic, Envelope message, CancellationToken cancellationToken = default);

    /// <summary>Starts a consumer; disposing it stops taking messages, waits for running handlers, and returns the rest to the queue.</summary>
    Task<IAsyncDisposable> ConsumeAsync(string queue, int prefetch, Func<Delivery, CancellationToken, Task> handler, CancellationToken cancellationToken = default);

    /// <summary>Removes the messages waiting in the queue (not those delivered and unacknowledged) and returns how many.</summary>
    Task<long> PurgeAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Messages waiting in the queue, not counting those delivered and unacknowledged.</summary>
    Task<long> CountAsync(string queue, CancellationToken cancellationToken = default);
}

/// <summary>A message handed to a consumer; <paramref name="Redelivered"/>: it was delivered before and not acknowledged.</summary>
public sealed record Delivery(Envelope Message, bool Redelivered, string Queue);

public enum QueueKind
{
    /// <summary>Durable, persistent messages, unbounded: uploads, distill jobs, results, membership.</summary>
    Work,

    /// <summary>One node's queue: transient, at most MaxLength messages (the oldest dropped), removed when unused for Expires.</summary>
    Inbox,
}

/// <summary>A queue, and the topics bound to it (an inbox's parameter topics).</summary>
public sealed record QueueSpec(string Name, QueueKind Kind, IReadOnlyList<string>? Topics = null, int MaxLength = 0, TimeSpan? Expires = null)
{
    public static QueueSpec Work(string name) => new(name, QueueKind.Work);

    public IReadOnlyList<string> BoundTopics => Topics ?? Array.Empty<string>();
}

/// <summary>A transport-level failure (no such queue, the broker unreachable past the send timeout).</summary>
public sealed class TransportException(string message, Exception? inner = null) : Exception(message, inner);
