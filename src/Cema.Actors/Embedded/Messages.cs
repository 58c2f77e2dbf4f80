using Cema.Actors.Edge;
using Cema.Actors.Runtime;

namespace Cema.Actors.Embedded;

/// <summary>Tells an <see cref="EdgeFeed"/> which edge to feed; it starts sending frame batches.</summary>
public sealed record StartFeed(IActorRef Edge);

/// <summary>Asks an <see cref="EdgeFeed"/> how far it got; answered with <see cref="FeedProgress"/>.</summary>
public sealed record GetFeedProgress
{
    public static GetFeedProgress Instance { get; } = new();
}

/// <summary>Batches sent to the edge, batches it reported predicted, of how many.</summary>
public sealed record FeedProgress(string Edge, int Sent, int Observed, int Total)
{
    public bool Done => Observed == Total;
}

/// <summary>Asks an <see cref="EdgeFeed"/> for everything it recorded; answered with <see cref="FeedRecord"/>.</summary>
public sealed record GetFeedRecord
{
    public static GetFeedRecord Instance { get; } = new();
}

/// <summary>One predicted batch as the feed saw it: what the edge reported, which segment it came from, and when (since the run's start).</summary>
public sealed record FeedBatchRecord(EdgeBatchObserved Observed, int Segment, string Corruption, int Severity, TimeSpan At);

/// <summary>One parameter version the edge applied, and when (since the run's start).</summary>
public sealed record FeedUpdateRecord(EdgeUpdateApplied Applied, TimeSpan At);

/// <summary>Every batch and update an edge reported, in order.</summary>
public sealed record FeedRecord(string Edge, IReadOnlyList<FeedBatchRecord> Batches, IReadOnlyList<FeedUpdateRecord> Updates);
