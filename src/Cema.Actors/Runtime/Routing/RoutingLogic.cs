namespace Cema.Actors.Runtime;

/// <summary>Picks the routee for one message. Called on the router's turn only.</summary>
internal abstract class RoutingLogic
{
    public abstract LocalActorRef Select(object message, IReadOnlyList<LocalActorRef> routees);
}

internal sealed class RoundRobinRoutingLogic : RoutingLogic
{
    private uint _next;

    public override LocalActorRef Select(object message, IReadOnlyList<LocalActorRef> routees) =>
        routees[(int)(_next++ % (uint)routees.Count)];
}

internal sealed class SmallestMailboxRoutingLogic : RoutingLogic
{
    public override LocalActorRef Select(object message, IReadOnlyList<LocalActorRef> routees)
    {
        var best = routees[0];
        var bestScore = long.MaxValue;
        foreach (var routee in routees)
        {
            var score = Score(routee.Cell);
            if (score == 0)
            {
                return routee;
            }
            if (score < bestScore)
            {
                best = routee;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>Queued messages, plus one if busy; a suspended (failed) routee goes last.</summary>
    private static long Score(ActorCell cell)
    {
        long score = cell.Mailbox.Count + (cell.IsProcessing ? 1 : 0);
        return cell.IsSuspended ? score + int.MaxValue : score;
    }
}
