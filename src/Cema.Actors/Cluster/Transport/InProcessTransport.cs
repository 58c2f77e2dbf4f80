using Cema.Actors.Cluster.Wire;
using Cema.Actors.Cluster.Wire.Proto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cema.Actors.Cluster.Transport;

/// <summary>
/// The queues of an in-process cluster: what RabbitMQ is to <see cref="RabbitMqTransport"/>. Every node of
/// the cluster gets its own <see cref="InProcessTransport"/> (its own codec limits and counters) over one broker.
/// </summary>
public sealed class InProcessBroker
{
    internal readonly object Gate = new();
    internal readonly Dictionary<string, InProcessTransport.MemoryQueue> Queues = new(StringComparer.Ordinal);
}

/// <summary>
/// The cluster transport inside one process: queues of encoded messages in memory (an <see cref="InProcessBroker"/>),
/// with the same semantics as <see cref="RabbitMqTransport"/> (competing consumers, prefetch, ack on handler
/// completion, redelivery on failure, inbox bounds, topic routing, the codec's limits), so the nodes of a
/// cluster can run in one process (the membership tests) and the contract suite holds both to one behaviour.
/// Nothing survives the process: durability is the broker's business.
/// </summary>
public sealed class InProcessTransport(InProcessBroker broker, WireCodec codec, TimeSpan redeliveryDelay, ILogger? logger = null) : IClusterTransport
{
    internal sealed record Stored(byte[] Bytes, bool Redelivered);

    internal sealed class MemoryQueue(QueueSpec spec)
    {
        public QueueSpec Spec { get; } = spec;
        public LinkedList<Stored> Ready { get; } = new();
        public List<MemoryConsumer> Consumers { get; } = new();
        public int Next { get; set; }
    }

    internal sealed class MemoryConsumer(InProcessTransport owner, MemoryQueue queue, int prefetch, Func<Delivery, CancellationToken, Task> handler) : IAsyncDisposable
    {
        public InProcessTransport Owner { get; } = owner;
        private readonly CancellationTokenSource stopping = new();
        private readonly TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public MemoryQueue Queue { get; } = queue;
        public int Prefetch { get; } = prefetch;
        public Func<Delivery, CancellationToken, Task> Handler { get; } = handler;
        public CancellationToken Token => stopping.Token;
        public int Unacked { get; set; }
        public bool Stopped { get; set; }

        public void Settled()
        {
            if (Stopped && Unacked == 0) idle.TrySetResult();
        }

        public async ValueTask DisposeAsync()
        {
            lock (Owner.gate)
            {
                if (Stopped) return;
                Stopped = true;
                Queue.Consumers.Remove(this);
                if (Unacked == 0) idle.TrySetResult();
            }
            stopping.Cancel();
            await idle.Task.ConfigureAwait(false);
            Owner.Dispatch(Queue);
        }
    }

    private readonly object gate = (broker ?? throw new ArgumentNullException(nameof(broker))).Gate;
    private readonly Dictionary<string, MemoryQueue> queues = broker.Queues;
    private readonly List<MemoryConsumer> own = new();
    private readonly ILogger log = logger ?? NullLogger.Instance;
    private bool disposed;

    public string Kind => "in-process";

    public WireCodec Codec { get; } = codec ?? throw new ArgumentNullException(nameof(codec));

    public TransportStats Stats { get; } = new();

    public Task DeclareAsync(QueueSpec queue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (gate)
        {
            if (queues.TryGetValue(queue.Name, out var existing))
            {
                if (existing.Spec.Kind != queue.Kind)
                    throw new TransportException($"queue {queue.Name} exists as a {existing.Spec.Kind} queue, declared again as {queue.Kind}");
                return Task.CompletedTask;
            }
            queues.Add(queue.Name, new MemoryQueue(queue));
        }
        return Task.CompletedTask;
    }

    public Task SendAsync(string queue, Envelope message, CancellationToken cancellationToken = default) =>
        SendEncodedAsync(queue, Encode(message));

    /// <summary>Puts bytes on a queue as they are, bypassing the sender's checks (what a foreign or broken peer does); tests use it.</summary>
    internal Task SendEncodedAsync(string queue, byte[] bytes)
    {
        MemoryQueue target;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!queues.TryGetValue(queue, out target!)) throw new TransportException($"no queue named {queue}: declare it before sending to it");
            Enqueue(target, new Stored(bytes, false));
        }
        Stats.Sent();
        Dispatch(target);
        return Task.CompletedTask;
    }

    public Task PublishAsync(string topic, Envelope message, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(message);
        List<MemoryQueue> bound;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            bound = queues.Values.Where(q => q.Spec.BoundTopics.Any(t => TopicPattern.Matches(t, topic))).ToList();
            foreach (var q in bound) Enqueue(q, new Stored(bytes, false));
        }
        Stats.Published();
        foreach (var q in bound) Dispatch(q);
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> ConsumeAsync(string queue, int prefetch, Func<Delivery, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        ArgumentNullException.ThrowIfNull(handler);
        MemoryConsumer consumer;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!queues.TryGetValue(queue, out var target)) throw new TransportException($"no queue named {queue}: declare it before consuming from it");
            consumer = new MemoryConsumer(this, target, prefetch, handler);
            target.Consumers.Add(consumer);
            own.Add(consumer);
        }
        Dispatch(consumer.Queue);
        return Task.FromResult<IAsyncDisposable>(consumer);
    }

    public Task<long> PurgeAsync(string queue, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var target = Existing(queue);
            long count = target.Ready.Count;
            target.Ready.Clear();
            return Task.FromResult(count);
        }
    }

    public Task<long> CountAsync(string queue, CancellationToken cancellationToken = default)
    {
        lock (gate) return Task.FromResult((long)Existing(queue).Ready.Count);
    }

    public async ValueTask DisposeAsync()
    {
        List<MemoryConsumer> consumers;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            consumers = own.ToList();
        }
        foreach (var consumer in consumers) await consumer.DisposeAsync().ConfigureAwait(false);
    }

    private MemoryQueue Existing(string queue) =>
        queues.TryGetValue(queue, out var target) ? target : throw new TransportException($"no queue named {queue}");

    private byte[] Encode(Envelope message)
    {
        try
        {
            return Codec.Encode(message);
        }
        catch (WireException)
        {
            Stats.Refused();
            throw;
        }
    }

    private static void Enqueue(MemoryQueue queue, Stored message)
    {
        queue.Ready.AddLast(message);
        // An inbox keeps the newest: parameter updates supersede each other and a receiver that lost one asks for the latest.
        while (queue.Spec.Kind == QueueKind.Inbox && queue.Spec.MaxLength > 0 && queue.Ready.Count > queue.Spec.MaxLength) queue.Ready.RemoveFirst();
    }

    internal void Dispatch(MemoryQueue queue)
    {
        lock (gate)
        {
            while (queue.Ready.Count > 0 && queue.Consumers.Count > 0)
            {
                MemoryConsumer? free = null;
                for (int i = 0; i < queue.Consumers.Count && free is null; i++)
                {
                    var candidate = queue.Consumers[(queue.Next + i) % queue.Consumers.Count];
                    if (!candidate.Stopped && candidate.Unacked < candidate.Prefetch) free = candidate;
                }
                if (free is null) return;
                queue.Next = (queue.Consumers.IndexOf(free) + 1) % queue.Consumers.Count;
                var message = queue.Ready.First!.Value;
                queue.Ready.RemoveFirst();
                free.Unacked++;
                _ = Task.Run(() => free.Owner.DeliverAsync(free, message));
            }
        }
    }

    private async Task DeliverAsync(MemoryConsumer consumer, Stored message)
    {
        bool done = true;
        try
        {
            Envelope envelope;
            try
            {
                envelope = Codec.Decode(message.Bytes);
            }
            catch (WireException e)
            {
                Stats.Rejected(e.Message);
                log.LogWarning("Transport: dropped a message on {Queue} that cannot be read: {Reason}", consumer.Queue.Spec.Name, e.Message);
                return;
            }
            Stats.Delivered();
            try
            {
                await consumer.Handler(new Delivery(envelope, message.Redelivered, consumer.Queue.Spec.Name), consumer.Token).ConfigureAwait(false);
                Stats.Acked();
            }
            catch (Exception e)
            {
                done = false;
                if (!consumer.Token.IsCancellationRequested)
                    log.LogWarning(e, "Transport: the handler of {Queue} failed; the message will be delivered again", consumer.Queue.Spec.Name);
                try { await Task.Delay(redeliveryDelay, consumer.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
        }
        finally
        {
            lock (gate)
            {
                if (!done)
                {
                    consumer.Queue.Ready.AddFirst(message with { Redelivered = true });
                    Stats.Requeued();
                }
                consumer.Unacked--;
                consumer.Settled();
            }
            Dispatch(consumer.Queue);
        }
    }
}
