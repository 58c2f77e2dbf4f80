using System.Diagnostics;
using Cema.Actors.Cloud;
using Cema.Actors.Distiller;
using Cema.Actors.Edge;
using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Models.Data;

namespace Cema.Actors.Embedded;

/// <summary>One edge of an embedded run: its name and the labelled frame batches it will see, in order.</summary>
public sealed record EmbeddedEdgeStream(string Edge, IReadOnlyList<Batch> Batches);

/// <summary>How an embedded run wires its actors.</summary>
/// <param name="Coordinator">The cloud coordinator (sessions per group or edge, encoding, replay and step settings, seed).</param>
/// <param name="Replay">The replay actor's bounds.</param>
/// <param name="Distillers">The distiller pool.</param>
/// <param name="Edge">Every edge's settings; each edge gets its own name, and with one session per edge its name as group too.</param>
public sealed record EmbeddedRunSettings(CloudCoordinatorSettings Coordinator, ReplayActorSettings Replay, DistillerSettings Distillers, EdgeSettings Edge);

/// <summary>The state of a running embedded system, for a live view.</summary>
public sealed record EmbeddedSnapshot(TimeSpan Elapsed, IReadOnlyList<EmbeddedEdgeSnapshot> Edges, CoordinatorStats Cloud, int PoolSize)
{
    public bool Done => Edges.All(e => e.Progress.Done);
}

/// <summary>One edge's statistics and how far its feed got.</summary>
public sealed record EmbeddedEdgeSnapshot(EdgeStats Stats, FeedProgress Progress);

/// <summary>What an embedded run did: per edge its final statistics and every batch and update it reported; the cloud's statistics.</summary>
public sealed record EmbeddedRunResult(IReadOnlyList<EmbeddedEdgeResult> Edges, CoordinatorStats Cloud, ReplayStats Replay, int PoolSize, TimeSpan Elapsed);

/// <summary>One edge's final statistics and record.</summary>
public sealed record EmbeddedEdgeResult(EdgeStats Stats, FeedRecord Record);

/// <summary>
/// CEMA in one process (the embedded default of DESIGN.md §3): a <see cref="ReplayActor"/>, a
/// <see cref="DistillerActor"/> pool, a <see cref="CloudCoordinator"/> and one <see cref="EdgeActor"/> per
/// stream, with parameter updates over the system's topic mediator, each edge fed by an
/// <see cref="EdgeFeed"/>. The caller owns the actor system (and terminates it) and the model tensors.
/// </summary>
public sealed class EmbeddedRun
{
    private readonly ActorSystem system;
    private readonly IActorRef replay, distillers, coordinator;
    private readonly IReadOnlyList<(IActorRef Edge, IActorRef Feed)> edges;
    private readonly long start;
    private readonly TimeSpan askTimeout;

    private EmbeddedRun(ActorSystem system, IActorRef replay, IActorRef distillers, IActorRef coordinator, IReadOnlyList<(IActorRef, IActorRef)> edges, long start)
    {
        this.system = system;
        this.replay = replay;
        this.distillers = distillers;
        this.coordinator = coordinator;
        this.edges = edges;
        this.start = start;
        // An edge answers between two batches and a busy machine can stretch one; the kernel's ask timeout is the floor.
        askTimeout = system.Settings.AskTimeout > TimeSpan.FromSeconds(30) ? system.Settings.AskTimeout : TimeSpan.FromSeconds(30);
    }

    /// <summary>Creates the actors in <paramref name="system"/>; the edges start predicting once subscribed to their parameter topic.</summary>
    /// <param name="window">Batches a feed sends ahead of what its edge has predicted (at least one).</param>
    public static async Task<EmbeddedRun> StartAsync(ActorSystem system, EmbeddedRunSettings settings, DistillerModels models, IReadOnlyList<EmbeddedEdgeStream> streams,
        int window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Count == 0) throw new ArgumentException("an embedded run needs at least one edge", nameof(streams));
        if (streams.Select(s => s.Edge).Distinct(StringComparer.Ordinal).Count() != streams.Count) throw new ArgumentException("edge names must be distinct", nameof(streams));

        var replay = system.ActorOf(ReplayActor.Props(settings.Replay), "replay");
        var distillers = system.ActorOf(DistillerActor.PoolProps(models, settings.Distillers), "distillers");
        var coordinator = system.ActorOf(CloudCoordinator.Props(settings.Coordinator, replay, distillers), "coordinator");
        long start = Stopwatch.GetTimestamp();
        var edges = new List<(IActorRef, IActorRef)>();
        foreach (var stream in streams)
        {
            var feed = system.ActorOf(EdgeFeed.Props(stream.Edge, stream.Batches, window, start), "feed-" + stream.Edge);
            string group = settings.Coordinator.SessionPerGroup ? settings.Edge.Group : stream.Edge;
            var edgeSettings = settings.Edge with { Edge = stream.Edge, Group = group };
            var edge = system.ActorOf(EdgeActor.Props(edgeSettings, models.EdgeSpec, models.EdgeState, coordinator, feed), stream.Edge);
            edges.Add((edge, feed));
        }
        var run = new EmbeddedRun(system, replay, distillers, coordinator, edges, start);
        // An edge that predicted before it subscribed could miss its first update (its topic would have no subscriber yet).
        foreach (var (edge, _) in edges)
        {
            while (!(await edge.Ask<EdgeStats>(GetEdgeStats.Instance, run.askTimeout, cancellationToken)).Subscribed)
                await Task.Delay(10, cancellationToken);
        }
        foreach (var (edge, feed) in edges) feed.Tell(new StartFeed(edge));
        return run;
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(start);

    /// <summary>Every edge's statistics and feed progress, and the cloud's.</summary>
    public async Task<EmbeddedSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var perEdge = new List<EmbeddedEdgeSnapshot>();
        foreach (var (edge, feed) in edges)
        {
            var stats = await edge.Ask<EdgeStats>(GetEdgeStats.Instance, askTimeout, cancellationToken);
            var progress = await feed.Ask<FeedProgress>(GetFeedProgress.Instance, askTimeout, cancellationToken);
            perEdge.Add(new EmbeddedEdgeSnapshot(stats, progress));
        }
        var cloud = await coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance, askTimeout, cancellationToken);
        var routees = await distillers.Ask<Routees>(GetRoutees.Instance, askTimeout, cancellationToken);
        return new EmbeddedSnapshot(Elapsed, perEdge, cloud, routees.Members.Count);
    }

    /// <summary>
    /// Waits until every edge predicted its whole stream, calling <paramref name="onSnapshot"/> every <paramref name="interval"/>,
    /// then until the cloud has run every step the last batches made (so the cloud's counts cover the whole stream, as the
    /// simulator's do), then collects the result. The elapsed time is taken when the last frame was predicted.
    /// </summary>
    public async Task<EmbeddedRunResult> RunToEndAsync(TimeSpan interval, Action<EmbeddedSnapshot>? onSnapshot = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var snapshot = await SnapshotAsync(cancellationToken);
            onSnapshot?.Invoke(snapshot);
            if (snapshot.Done) break;
            await Task.Delay(interval, cancellationToken);
        }
        TimeSpan elapsed = Elapsed;
        while ((await coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance, askTimeout, cancellationToken)).Sessions.Any(s => s.JobInFlight || s.QueuedSteps > 0))
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        var results = new List<EmbeddedEdgeResult>();
        foreach (var (edge, feed) in edges)
        {
            var stats = await edge.Ask<EdgeStats>(GetEdgeStats.Instance, askTimeout, cancellationToken);
            var record = await feed.Ask<FeedRecord>(GetFeedRecord.Instance, askTimeout, cancellationToken);
            results.Add(new EmbeddedEdgeResult(stats, record));
        }
        var cloud = await coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance, askTimeout, cancellationToken);
        var buffered = await replay.Ask<ReplayStats>(GetReplayStats.Instance, askTimeout, cancellationToken);
        var routees = await distillers.Ask<Routees>(GetRoutees.Instance, askTimeout, cancellationToken);
        return new EmbeddedRunResult(results, cloud, buffered, routees.Members.Count, elapsed);
    }

    /// <summary>The actor system the run lives in.</summary>
    public ActorSystem System => system;
}
