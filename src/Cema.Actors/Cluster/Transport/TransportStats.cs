namespace Cema.Actors.Cluster.Transport;

/// <summary>Counters of one transport, safe to update from any thread. <see cref="Snapshot"/> reads them together.</summary>
public sealed class TransportStats
{
    private long sent, published, delivered, acked, redelivered, rejected, refused, sendRetries;
    private string? lastRejection;

    internal void Sent() => Interlocked.Increment(ref sent);
    internal void Published() => Interlocked.Increment(ref published);
    internal void Delivered() => Interlocked.Increment(ref delivered);
    internal void Acked() => Interlocked.Increment(ref acked);
    internal void Requeued() => Interlocked.Increment(ref redelivered);
    internal void SendRetried() => Interlocked.Increment(ref sendRetries);
    internal void Refused() => Interlocked.Increment(ref refused);

    internal void Rejected(string reason)
    {
        Interlocked.Increment(ref rejected);
        Volatile.Write(ref lastRejection, reason);
    }

    public TransportCounters Snapshot() => new(
        Interlocked.Read(ref sent), Interlocked.Read(ref published), Interlocked.Read(ref delivered), Interlocked.Read(ref acked),
        Interlocked.Read(ref redelivered), Interlocked.Read(ref rejected), Interlocked.Read(ref refused), Interlocked.Read(ref sendRetries),
        Volatile.Read(ref lastRejection));
}

/// <param name="Sent">Messages stored on a queue by <c>SendAsync</c>.</param>
/// <param name="Published">Messages published on a topic.</param>
/// <param name="Delivered">Deliveries handed to handlers (redeliveries included).</param>
/// <param name="Acked">Deliveries whose handler completed.</param>
/// <param name="Requeued">Deliveries returned to their queue because the handler threw.</param>
/// <param name="Rejected">Incoming messages dropped because they could not be read (size limit, schema, damage).</param>
/// <param name="Refused">Outgoing messages refused before sending (size limit).</param>
/// <param name="SendRetries">Sends tried again because the broker was away.</param>
/// <param name="LastRejection">Why the last rejected message was rejected.</param>
public sealed record TransportCounters(long Sent, long Published, long Delivered, long Acked, long Requeued, long Rejected, long Refused, long SendRetries, string? LastRejection);
