using Cema.Actors.Runtime;

namespace Cema.Actors.Tests.Runtime.Supervision;

/// <summary>A lifecycle hook ran on instance <paramref name="Instance"/>.</summary>
internal sealed record Hook(string Name, int Instance, string? Detail = null);

/// <summary>
/// Counts "count" messages, throws on "boom", reports its instance number on "id", and reports
/// every lifecycle hook to a probe.
/// </summary>
internal sealed class Restartable : ReceiveActor
{
    private static int s_instances;
    private readonly IActorRef _probe;
    private readonly int _instance = Interlocked.Increment(ref s_instances);
    private int _count;

    public Restartable(IActorRef probe)
    {
        _probe = probe;
        Receive<string>(_ => throw new InvalidOperationException("boom"), s => s == "boom");
        Receive<string>(_ => Sender.Tell(_instance), s => s == "id");
        Receive<string>(_ => Sender.Tell(++_count), s => s == "count");
    }

    protected override void PreStart() => _probe.Tell(new Hook("PreStart", _instance));

    protected override void PostStop() => _probe.Tell(new Hook("PostStop", _instance));

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell(new Hook("PreRestart", _instance, message?.ToString()));
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell(new Hook("PostRestart", _instance, reason.Message));
        base.PostRestart(reason);
    }
}

/// <summary>Creates one child from the given Props and supervises it with the given strategy; forwards everything else to it.</summary>
internal sealed class Supervisor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Supervisor(Props childProps, SupervisorStrategy strategy, IActorRef? watcher = null)
    {
        _strategy = strategy;
        var child = Context.ActorOf(childProps, "child");
        Receive<string>(_ => Sender.Tell(child), s => s == "child");
        Receive<Terminated>(t => watcher?.Tell(t));
        ReceiveAny(m => child.Forward(m));
        if (watcher is not null)
        {
            Context.Watch(child);
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}
