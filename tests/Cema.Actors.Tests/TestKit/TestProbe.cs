using System.Threading.Channels;
using Cema.Actors.Runtime;
using Xunit.Sdk;

namespace Cema.Actors.Tests.TestKit;

/// <summary>
/// An actor that records what it receives, for tests to assert on (Akka.TestKit's TestProbe).
/// It is an <see cref="IActorRef"/>: pass the probe itself as a sender or subscriber; the runtime
/// treats it as its underlying <see cref="Ref"/>. Expectations wait with a timeout and fail the
/// test with a message saying what was expected and what arrived.
/// </summary>
public sealed class TestProbe : IActorRef, IActorRefProxy
{
    /// <summary>Generous, because the machine is shared; a passing test never waits this long.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static int s_counter;
    private readonly Channel<(object Message, IActorRef Sender)> _received = Channel.CreateUnbounded<(object, IActorRef)>();

    public TestProbe(ActorSystem system, string? name = null)
    {
        System = system;
        LastSender = system.DeadLetters;
        Ref = system.ActorOf(
            Props.Create(() => new ProbeActor(_received.Writer))
                .WithMailbox(new MailboxSettings(100_000, MailboxOverflow.BackPressure, TimeSpan.FromSeconds(10))),
            name ?? $"testProbe-{Interlocked.Increment(ref s_counter)}");
    }

    public ActorSystem System { get; }

    public IActorRef Ref { get; }

    public ActorPath Path => Ref.Path;

    /// <summary>Sender of the last message an expectation consumed; <see cref="Reply"/> answers it.</summary>
    public IActorRef LastSender { get; private set; }

    public void Tell(object message, IActorRef? sender = null) => Ref.Tell(message, sender);

    public ValueTask TellAsync(object message, IActorRef? sender = null, CancellationToken cancellationToken = default) =>
        Ref.TellAsync(message, sender, cancellationToken);

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with this probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>Answers the sender of the last received message, with this probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Death-watches <paramref name="actor"/>; Terminated arrives like any message.</summary>
    public void Watch(IActorRef actor) => Ref.Tell(new WatchCommand(actor));

    public void Unwatch(IActorRef actor) => Ref.Tell(new UnwatchCommand(actor));

    /// <summary>The next message, which must be a <typeparamref name="T"/> (matching <paramref name="predicate"/>).</summary>
    public async Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null, Func<T, bool>? predicate = null, string? hint = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var (message, _) = await NextAsync(limit, $"a {typeof(T).Name}{Hint(hint)}");
        if (message is not T typed)
        {
            throw new XunitException($"{Path}: expected a {typeof(T).Name}{Hint(hint)} but received {Describe(message)}.");
        }
        if (predicate is not null && !predicate(typed))
        {
            throw new XunitException($"{Path}: received {Describe(message)}, which does not match the expectation{Hint(hint)}.");
        }
        return typed;
    }

    /// <summary>The next message, which must equal <paramref name="expected"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) where T : notnull =>
        ExpectMsgAsync<T>(timeout, m => EqualityComparer<T>.Default.Equals(m, expected), $" equal to {Describe(expected)}");

    /// <summary>Fails if any message arrives within <paramref name="duration"/>. Keep durations short; it always waits.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        using var deadline = new CancellationTokenSource(duration);
        try
        {
            var item = await _received.Reader.ReadAsync(deadline.Token);
            LastSender = item.Sender;
            throw new XunitException($"{Path}: expected no message for {duration.TotalMilliseconds:0} ms but received {Describe(item.Message)}.");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }
    }

    /// <summary>Skips messages until one is a <typeparamref name="T"/> matching <paramref name="isTheOne"/>.</summary>
    public async Task<T> FishForMessageAsync<T>(Func<T, bool> isTheOne, TimeSpan? timeout = null, string? hint = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        var skipped = new List<string>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new XunitException($"{Path}: no {typeof(T).Name}{Hint(hint)} within {limit.TotalMilliseconds:0} ms; skipped [{string.Join(", ", skipped)}].");
            }
            (object Message, IActorRef Sender) item;
            try
            {
                item = await NextAsync(left, $"a {typeof(T).Name}{Hint(hint)}");
            }
            catch (XunitException)
            {
                throw new XunitException($"{Path}: no {typeof(T).Name}{Hint(hint)} within {limit.TotalMilliseconds:0} ms; skipped [{string.Join(", ", skipped)}].");
            }
            if (item.Message is T typed && isTheOne(typed))
            {
                return typed;
            }
            skipped.Add(Describe(item.Message));
        }
    }

    public Task<object> FishForMessageAsync(Func<object, bool> isTheOne, TimeSpan? timeout = null, string? hint = null) =>
        FishForMessageAsync<object>(isTheOne, timeout, hint);

    /// <summary>The next <paramref name="count"/> messages, whatever they are.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            var (message, _) = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, $"message {messages.Count + 1} of {count} (got [{string.Join(", ", messages.Select(Describe))}])");
            messages.Add(message);
        }
        return messages;
    }

    /// <summary>The next message must be <see cref="Terminated"/> for <paramref name="actor"/> (call <see cref="Watch"/> first).</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(timeout, t => t.ActorRef.Path.Equals(actor.Path), $" for {actor.Path}");

    public T ExpectMsg<T>(TimeSpan? timeout = null, Func<T, bool>? predicate = null) =>
        ExpectMsgAsync(timeout, predicate).GetAwaiter().GetResult();

    public void ExpectNoMsg(TimeSpan duration) => ExpectNoMsgAsync(duration).GetAwaiter().GetResult();

    public T FishForMessage<T>(Func<T, bool> isTheOne, TimeSpan? timeout = null) =>
        FishForMessageAsync(isTheOne, timeout).GetAwaiter().GetResult();

    public override bool Equals(object? obj) => obj switch
    {
        TestProbe other => Ref.Equals(other.Ref),
        IActorRef other => Ref.Equals(other),
        _ => false,
    };

    public override int GetHashCode() => Ref.GetHashCode();

    public override string ToString() => $"TestProbe[{Path}]";

    internal static string Describe(object? message) => message switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => $"{message.GetType().Name} {message}",
    };

    private static string Hint(string? hint) => hint is null ? "" : hint;

    private async Task<(object Message, IActorRef Sender)> NextAsync(TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var item = await _received.Reader.ReadAsync(deadline.Token);
            LastSender = item.Sender;
            return item;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new XunitException($"{Path}: timed out after {timeout.TotalMilliseconds:0} ms waiting for {what}.");
        }
    }

    private sealed record WatchCommand(IActorRef Target);

    private sealed record UnwatchCommand(IActorRef Target);

    private sealed class ProbeActor(ChannelWriter<(object, IActorRef)> received) : ActorBase
    {
        protected override bool Receive(object message)
        {
            switch (message)
            {
                case WatchCommand watch:
                    Context.Watch(watch.Target);
                    break;
                case UnwatchCommand unwatch:
                    Context.Unwatch(unwatch.Target);
                    break;
                default:
                    received.TryWrite((message, Sender));
                    break;
            }
            return true;
        }
    }
}
