using Microsoft.Extensions.Logging;

namespace Cema.Actors.Runtime;

/// <summary>
/// The actor behind a pool router. Its routees are its children, so it supervises them; it
/// watches them to drop dead ones from routing. Management messages (<see cref="Broadcast"/>,
/// <see cref="Resize"/>, <see cref="AdjustPoolSize"/>, <see cref="GetRoutees"/>) are handled
/// here, everything else is routed with its original sender. Routing through the router's own
/// mailbox means a full routee pauses the router (outbox rule), whose mailbox then fills and
/// pushes back on the producers: back-pressure crosses the router.
/// </summary>
internal sealed class RouterActor : ActorBase
{
    private readonly Props _routeeProps;
    private readonly Pool _pool;
    private readonly RoutingLogic _logic;
    private readonly List<LocalActorRef> _routees = [];
    private readonly HashSet<LocalActorRef> _retiring = [];

    public RouterActor(Props routeeProps, Pool pool)
    {
        _routeeProps = routeeProps;
        _pool = pool;
        _logic = pool.CreateRoutingLogic();
    }

    internal static Props PropsFor(Props props)
    {
        var pool = props.Router!;
        var routeeProps = props with { Router = null };
        return Props.Create(() => new RouterActor(routeeProps, pool)) with
        {
            Mailbox = props.Mailbox,
            SupervisorStrategy = pool.SupervisorStrategy,
        };
    }

    protected override void PreStart() => Grow(_pool.NrOfInstances);

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Broadcast broadcast:
                foreach (var routee in _routees)
                {
                    routee.Tell(broadcast.Message, Sender);
                }
                break;
            case Resize resize:
                ResizeTo(resize.NrOfInstances);
                break;
            case AdjustPoolSize adjust:
                ResizeTo(_routees.Count + adjust.Change);
                break;
            case GetRoutees:
                Sender.Tell(new Routees(_routees.ToArray<IActorRef>()));
                break;
            case Terminated terminated:
                OnRouteeTerminated(terminated.ActorRef);
                break;
            default:
                if (_routees.Count == 0)
                {
                    Context.System.DeadLetters.Tell(message, Sender);
                }
                else
                {
                    _logic.Select(message, _routees).Tell(message, Sender);
                }
                break;
        }
        return true;
    }

    private void ResizeTo(int size)
    {
        if (size < 1)
        {
            Context.GetLogger().LogWarning("Router {Router} ignores a resize to {Size}: a pool keeps at least one routee", Self.Path, size);
            return;
        }
        if (size > _routees.Count)
        {
            Grow(size - _routees.Count);
        }
        while (_routees.Count > size)
        {
            // Newest first, so long-lived routees (warm caches) stay.
            var routee = _routees[^1];
            _routees.RemoveAt(_routees.Count - 1);
            _retiring.Add(routee);
            routee.Tell(PoisonPill.Instance);
        }
        Context.GetLogger().LogInformation("Router {Router} resized to {Size} routees", Self.Path, _routees.Count);
    }

    private void Grow(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var routee = (LocalActorRef)Context.ActorOf(_routeeProps);
            Context.Watch(routee);
            _routees.Add(routee);
        }
    }

    private void OnRouteeTerminated(IActorRef actor)
    {
        if (actor is not LocalActorRef routee || _retiring.Remove(routee) || !_routees.Remove(routee))
        {
            return;
        }
        var log = Context.GetLogger();
        if (_routees.Count > 0)
        {
            log.LogWarning("Routee {Routee} of {Router} stopped; {Count} routees remain", routee.Path, Self.Path, _routees.Count);
            return;
        }
        // Akka's rule: a pool with no routees left has nothing to route to, so it stops and
        // its watchers learn of it, instead of dead-lettering everything silently from here on.
        log.LogError("All routees of {Router} stopped; the router stops", Self.Path);
        Context.Stop(Self);
    }
}
