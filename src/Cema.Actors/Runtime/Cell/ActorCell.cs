using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Runtime;

/// <summary>
/// The runtime side of one actor: its mailbox, current instance, children, watchers and
/// lifecycle state. Split by concern into partial files like Akka's ActorCell: sending
/// (ActorCell.Send), the run loop (ActorCell.Dispatch), lifecycle (ActorCell.Lifecycle),
/// supervision (ActorCell.FaultHandling) and death watch (ActorCell.DeathWatch).
/// Fields without a lock are touched only during the actor's turn.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? t_constructing;

    private readonly ActorCell? _parent;
    private readonly ConcurrentDictionary<string, LocalActorRef> _children = new(StringComparer.Ordinal);
    private readonly HashSet<LocalActorRef> _stoppingChildren = [];
    private readonly Dictionary<LocalActorRef, ChildRestartStats> _childStats = [];
    private TimerScheduler? _timers;
    private ILogger? _actorLogger;
    private long _autoNameCounter;
    private long _processed;
    private long _unhandled;
    private long _restarts;

    public ActorCell(ActorSystem system, ActorCell? parent, ActorPath path, Props props)
    {
        System = system;
        _parent = parent;
        Props = props;
        SelfRef = new LocalActorRef(this, path);
        Mailbox = new Mailbox(props.Mailbox ?? system.Settings.Mailbox, OnDropped);
        _throughput = system.Settings.Dispatcher.Throughput;
        _syncContext = new ActorSynchronizationContext(this);
    }

    public ActorSystem System { get; }

    public Props Props { get; }

    internal LocalActorRef SelfRef { get; }

    internal Mailbox Mailbox { get; }

    public IActorRef Self => SelfRef;

    public IActorRef Parent => _parent?.Self ?? Self;

    public IActorRef Sender => _currentEnvelope.Sender ?? System.DeadLetters;

    /// <summary>The current message's sender as sent (null: none), for Forward.</summary>
    internal IActorRef? CurrentSender => _currentEnvelope.Sender;

    public ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    internal SupervisorStrategy DefaultStrategyForChildren => Props.SupervisorStrategy ?? System.DefaultSupervisorStrategy;

    /// <summary>Hands the cell under construction to the ActorBase constructor, once.</summary>
    internal static ActorCell? TakeConstructing()
    {
        var cell = t_constructing;
        t_constructing = null;
        return cell;
    }

    public IActorRef ActorOf(Props props, string? name = null) => ActorOfChild(props, name);

    internal LocalActorRef ActorOfChild(Props props, string? name)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null)
        {
            name = "$" + Interlocked.Increment(ref _autoNameCounter).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            ValidateName(name);
        }
        if (props.Router is not null)
        {
            props = RouterActor.PropsFor(props);
        }
        var cell = new ActorCell(System, this, Self.Path / name, props);
        if (!_children.TryAdd(name, cell.SelfRef))
        {
            throw new InvalidActorNameException($"Actor name '{name}' is not unique under {Self.Path}.");
        }
        cell.SendSystem(Create.Instance);
        // A child added while this actor stops (possible for the guardians, which take ActorOf
        // from any thread) must not outlive it.
        if (_terminating)
        {
            cell.SendSystem(Terminate.Instance);
        }
        return cell.SelfRef;
    }

    public IEnumerable<IActorRef> GetChildren() => _children.Values;

    internal IReadOnlyCollection<LocalActorRef> Children => (IReadOnlyCollection<LocalActorRef>)_children.Values;

    public void Stop(IActorRef actor)
    {
        var target = ActorRefs.AsLocal(actor);
        if (target is null)
        {
            return;
        }
        if (IsChild(target))
        {
            StopChild(target);
        }
        else
        {
            target.Cell.SendSystem(Terminate.Instance);
        }
    }

    public ILogger GetLogger() => _actorLogger ??= System.LoggerFactory.CreateLogger(Props.ActorType);

    internal void RecordUnhandled(object message)
    {
        Interlocked.Increment(ref _unhandled);
        System.RecordUnhandled(new UnhandledMessage(message, CurrentSender, Self));
    }

    internal ActorStats Snapshot() => new(
        Self.Path,
        Props.ActorType,
        Mailbox.Count,
        Mailbox.Settings.Capacity,
        Mailbox.Settings.Overflow,
        Interlocked.Read(ref _processed),
        Mailbox.Dropped,
        Mailbox.DeadLettered,
        Interlocked.Read(ref _unhandled),
        Interlocked.Read(ref _restarts),
        _suspended);

    private bool IsChild(LocalActorRef actor) =>
        _children.TryGetValue(actor.Path.Name, out var child) && ReferenceEquals(child, actor);

    private void StopChild(LocalActorRef child)
    {
        _stoppingChildren.Add(child);
        child.Cell.SendSystem(Terminate.Instance);
    }

    private void OnDropped(Envelope envelope) => System.RecordDropped(Self, envelope.Message, Mailbox.Dropped);

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name[0] == '$' || name.Contains('/') || name.Any(char.IsWhiteSpace) || name.Any(char.IsControl))
        {
            throw new InvalidActorNameException(
                $"Invalid actor name '{name}': it must be non-empty, not start with '$' (generated names), and have no '/', spaces or control characters.");
        }
    }

    public override string ToString() => $"ActorCell[{Self.Path}]";
}
