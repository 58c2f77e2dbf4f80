namespace Cema.Actors.Runtime;

/// <summary>
/// Sends an actor made to full back-pressure mailboxes while it was running. The actor takes no
/// new message until they are accepted or time out, so back-pressure travels upstream without
/// ever blocking a thread. Later sends to a target with parked messages queue behind them, which
/// keeps per-sender ordering. Only the owning actor's turn touches it.
/// </summary>
internal sealed class Outbox
{
    private readonly Queue<(ActorCell Target, Envelope Envelope)> _queue = new();
    private readonly HashSet<ActorCell> _targets = new(ReferenceEqualityComparer.Instance);

    public bool IsEmpty => _queue.Count == 0;

    public bool HasPendingFor(ActorCell target) => _targets.Contains(target);

    public void Add(ActorCell target, Envelope envelope)
    {
        _queue.Enqueue((target, envelope));
        _targets.Add(target);
    }

    public bool TryDequeue(out ActorCell target, out Envelope envelope)
    {
        if (_queue.TryDequeue(out var item))
        {
            (target, envelope) = item;
            if (_queue.Count == 0)
            {
                _targets.Clear();
            }
            return true;
        }
        target = null!;
        envelope = default;
        return false;
    }
}
