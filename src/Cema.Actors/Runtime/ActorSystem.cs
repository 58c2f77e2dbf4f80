using System.Collections.Concurrent;
using Cema.Actors.Configuration;
using Microsoft.Extensions.Logging;
using CreateMessage = Cema.Actors.Runtime.Create;
using TerminateMessage = Cema.Actors.Runtime.Terminate;

namespace Cema.Actors.Runtime;

/// <summary>
/// A tree of actors sharing settings, dead letters and an event stream. Top-level actors live
/// under <c>/user</c>, the runtime's own (the topic mediator) under <c>/system</c>.
/// <see cref="Terminate"/> (or <c>await using</c>) stops every actor, children before parents,
/// running each PostStop.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly ConcurrentDictionary<Type, Lazy<object>> _extensions = new();
    private readonly TaskCompletionSource _whenTerminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _startTimestamp;
    private long _deadLetters;
    private long _unhandled;
    private long _dropped;
    private int _terminating;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"An actor system name uses ASCII letters, digits, '-' and '_' only: '{name}'.", nameof(name));
        }
        Name = name;
        Settings = settings;
        LoggerFactory = settings.LoggerFactory;
        Log = LoggerFactory.CreateLogger(typeof(ActorSystem));
        TimeProvider = settings.TimeProvider;
        _startTimestamp = TimeProvider.GetTimestamp();
        RootPath = ActorPath.Root(name);
        TempPath = RootPath / "temp";
        DeadLetters = new DeadLetterActorRef(this, RootPath / "deadLetters");
        DefaultSupervisorStrategy = OneForOneStrategy.FromSettings(settings.Supervision);

        var guardianProps = Props.Create(static () => new GuardianActor())
            .WithMailbox(new MailboxSettings(1, MailboxOverflow.DropNewest, TimeSpan.Zero));
        _userGuardian = new ActorCell(this, null, RootPath / "user", guardianProps);
        _systemGuardian = new ActorCell(this, null, RootPath / "system", guardianProps);
        _userGuardian.SendSystem(CreateMessage.Instance);
        _systemGuardian.SendSystem(CreateMessage.Instance);
    }

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    /// <summary>Where undeliverable messages go (counted, logged, published as <see cref="DeadLetter"/>).</summary>
    public IActorRef DeadLetters { get; }

    public EventStream EventStream { get; } = new();

    /// <summary>Runtime events: dead letters, drops, failures, restarts.</summary>
    public ILogger Log { get; }

    /// <summary>Supervises actors whose parent names no strategy (built from <see cref="ActorSystemSettings.Supervision"/>).</summary>
    public SupervisorStrategy DefaultSupervisorStrategy { get; }

    /// <summary>Completes when <see cref="Terminate"/> has stopped every actor.</summary>
    public Task WhenTerminated => _whenTerminated.Task;

    internal ILoggerFactory LoggerFactory { get; }

    internal TimeProvider TimeProvider { get; }

    internal ActorPath RootPath { get; }

    internal ActorPath TempPath { get; }

    /// <summary>Time since the system started, on its clock (restart windows and back-off).</summary>
    internal TimeSpan Elapsed => TimeProvider.GetElapsedTime(_startTimestamp);

    public static ActorSystem Create(string name, ActorSystemSettings? settings = null) =>
        new(name, settings ?? ActorSystemSettings.Default);

    /// <summary>A system configured from the <c>cema.runtime</c> section of <paramref name="config"/>.</summary>
    public static ActorSystem Create(string name, Config config, ILoggerFactory? loggerFactory = null) =>
        new(name, ActorSystemSettings.FromConfig(config, loggerFactory));

    /// <summary>Creates a top-level actor, supervised by the user guardian with the default strategy.</summary>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ThrowIfTerminating();
        return _userGuardian.ActorOfChild(props, name);
    }

    /// <summary>Stops the actor after its current message; the rest of its mailbox is dead-lettered.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (ActorRefs.AsLocal(actor) is { } local && !ReferenceEquals(local.Cell, _userGuardian) && !ReferenceEquals(local.Cell, _systemGuardian))
        {
            local.Cell.SendSystem(TerminateMessage.Instance);
        }
    }

    /// <summary>
    /// Stops all user actors, then the runtime's own, each after its current message, running
    /// PostStop bottom-up. Waits at most the shutdown-timeout per guardian and logs who is stuck.
    /// Idempotent.
    /// </summary>
    public Task Terminate()
    {
        if (Interlocked.Exchange(ref _terminating, 1) == 0)
        {
            _ = TerminateCoreAsync();
        }
        return WhenTerminated;
    }

    public ValueTask DisposeAsync() => new(Terminate());

    /// <summary>Totals and every live actor's counters, read without stopping anything.</summary>
    public ActorSystemStats GetStats()
    {
        var actors = new List<ActorStats>();
        Collect(_userGuardian, actors);
        Collect(_systemGuardian, actors);
        return new ActorSystemStats(Interlocked.Read(ref _deadLetters), Interlocked.Read(ref _unhandled), Interlocked.Read(ref _dropped), actors);

        static void Collect(ActorCell cell, List<ActorStats> into)
        {
            foreach (var child in cell.Children)
            {
                into.Add(child.Cell.Snapshot());
                Collect(child.Cell, into);
            }
        }
    }

    /// <summary>One instance of <typeparamref name="T"/> per system, created on first use (Akka's extensions).</summary>
    public T GetOrCreateExtension<T>(Func<ActorSystem, T> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        var lazy = _extensions.GetOrAdd(typeof(T), _ => new Lazy<object>(() => create(this), LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)lazy.Value;
    }

    public override string ToString() => $"ActorSystem[{Name}]";

    internal IActorRef SystemActorOf(Props props, string name)
    {
        ThrowIfTerminating();
        return _systemGuardian.ActorOfChild(props, name);
    }

    internal void RecordDeadLetter(DeadLetter letter, string reason)
    {
        var count = Interlocked.Increment(ref _deadLetters);
        var level = LogThrottle.ShouldLog(count) ? LogLevel.Warning : LogLevel.Debug;
        if (Log.IsEnabled(level))
        {
            Log.Log(level, "Dead letter {DeadLetterCount}: {MessageType} from {Sender} to {Recipient} was not delivered: {Reason}",
                count, letter.Message.GetType().Name, letter.Sender?.Path.ToString() ?? "no sender", letter.Recipient.Path, reason);
        }
        if (letter.Message is not DeadLetter)
        {
            EventStream.Publish(letter);
        }
    }

    internal void RecordUnhandled(UnhandledMessage unhandled)
    {
        var count = Interlocked.Increment(ref _unhandled);
        var level = LogThrottle.ShouldLog(count) ? LogLevel.Warning : LogLevel.Debug;
        if (Log.IsEnabled(level))
        {
            Log.Log(level, "Unhandled message {UnhandledCount}: {Recipient} has no handler for {MessageType} from {Sender}",
                count, unhandled.Recipient.Path, unhandled.Message.GetType().Name, unhandled.Sender?.Path.ToString() ?? "no sender");
        }
        EventStream.Publish(unhandled);
    }

    internal void RecordDropped(IActorRef actor, object message, long droppedByActor)
    {
        Interlocked.Increment(ref _dropped);
        var level = LogThrottle.ShouldLog(droppedByActor) ? LogLevel.Warning : LogLevel.Debug;
        if (Log.IsEnabled(level))
        {
            var payload = message is TimerScheduler.TimerMessage tick ? tick.Entry.Message : message;
            Log.Log(level, "Mailbox of {Actor} is full: dropped {MessageType} ({DroppedCount} dropped by this actor so far)",
                actor.Path, payload.GetType().Name, droppedByActor);
        }
    }

    private void ThrowIfTerminating()
    {
        if (Volatile.Read(ref _terminating) != 0)
        {
            throw new InvalidOperationException($"Actor system {Name} is terminating; it creates no new actors.");
        }
    }

    private async Task TerminateCoreAsync()
    {
        try
        {
            await StopGuardianAsync(_userGuardian).ConfigureAwait(false);
            await StopGuardianAsync(_systemGuardian).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.LogError(ex, "Terminating actor system {System} failed", Name);
        }
        finally
        {
            var stats = GetStats();
            Log.LogInformation("Actor system {System} terminated ({DeadLetterCount} dead letters, {DroppedCount} dropped, {UnhandledCount} unhandled)",
                Name, stats.DeadLetters, stats.DroppedMessages, stats.UnhandledMessages);
            _whenTerminated.TrySetResult();
        }
    }

    private async Task StopGuardianAsync(ActorCell guardian)
    {
        guardian.SendSystem(TerminateMessage.Instance);
        try
        {
            await guardian.WhenTerminated.WaitAsync(Settings.ShutdownTimeout, TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var stuck = new List<ActorStats>();
            foreach (var child in guardian.Children)
            {
                stuck.Add(child.Cell.Snapshot());
            }
            Log.LogError("Actors under {Guardian} did not stop within {Timeout}: {Actors}",
                guardian.Self.Path, Settings.ShutdownTimeout, string.Join(", ", stuck.Select(s => s.Path)));
        }
    }
}
