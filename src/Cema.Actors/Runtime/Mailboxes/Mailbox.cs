using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Cema.Actors.Runtime;

/// <summary>
/// An actor's two queues: a bounded channel of user messages that applies the overflow policy,
/// and an unbounded queue of system messages (create, stop, watch, supervision) that must never
/// be refused or stuck behind user messages. Holds the per-actor counters. Scheduling is the
/// cell's job; this class only stores.
/// </summary>
internal sealed class Mailbox
{
    private readonly Channel<Envelope> _channel;
    private readonly ConcurrentQueue<SystemMessage> _system = new();
    private readonly Action<Envelope> _onDropped;
    private volatile bool _closed;
    private long _dropped;
    private long _deadLettered;

    public Mailbox(MailboxSettings settings, Action<Envelope> onDropped)
    {
        Settings = settings;
        _onDropped = onDropped;
        var options = new BoundedChannelOptions(settings.Capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            // Writers waiting for room must not run the actor's code inline on the reader's thread.
            AllowSynchronousContinuations = false,
            FullMode = settings.Overflow == MailboxOverflow.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _channel = settings.Overflow == MailboxOverflow.DropOldest
            ? Channel.CreateBounded<Envelope>(options, RecordDrop)
            : Channel.CreateBounded<Envelope>(options);
    }

    public MailboxSettings Settings { get; }

    public int Count => _channel.Reader.Count;

    public bool IsClosed => _closed;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages addressed here that went to dead letters (closed, or push-timeout).</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public bool HasSystemMessages => !_system.IsEmpty;

    public EnqueueResult TryEnqueue(Envelope envelope)
    {
        if (_closed)
        {
            return EnqueueResult.Closed;
        }
        if (_channel.Writer.TryWrite(envelope))
        {
            return EnqueueResult.Enqueued;
        }
        if (_closed)
        {
            return EnqueueResult.Closed;
        }
        if (Settings.Overflow == MailboxOverflow.DropNewest)
        {
            RecordDrop(envelope);
            return EnqueueResult.Dropped;
        }
        return EnqueueResult.Full;
    }

    /// <summary>Waits for room; throws <see cref="ChannelClosedException"/> if the actor stops meanwhile.</summary>
    public ValueTask WriteAsync(Envelope envelope, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(envelope, cancellationToken);

    public bool TryDequeue(out Envelope envelope) => _channel.Reader.TryRead(out envelope);

    public void EnqueueSystem(SystemMessage message) => _system.Enqueue(message);

    public bool TryDequeueSystem(out SystemMessage message) => _system.TryDequeue(out message!);

    public void CountDeadLetter() => Interlocked.Increment(ref _deadLettered);

    /// <summary>Refuses further messages; what is queued can still be drained (to dead letters).</summary>
    public void Close()
    {
        _closed = true;
        _channel.Writer.TryComplete();
    }

    private void RecordDrop(Envelope envelope)
    {
        Interlocked.Increment(ref _dropped);
        _onDropped(envelope);
    }
}

internal enum EnqueueResult
{
    Enqueued,
    Full,
    Dropped,
    Closed,
}

/// <summary>A user message and who sent it.</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);
