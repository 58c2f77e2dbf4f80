using System.Diagnostics;
using Cema.Actors.Edge;
using Cema.Actors.Runtime;
using Cema.Models.Data;

namespace Cema.Actors.Embedded;

/// <summary>
/// A camera for one edge: sends a prepared stream's batches (labelled) to the edge, at most
/// <c>window</c> ahead of what the edge reported predicted, so the edge never idles and its mailbox stays
/// short. It is the edge's observer: it keeps every <see cref="EdgeBatchObserved"/> and
/// <see cref="EdgeUpdateApplied"/> with the segment it belongs to and its time since <c>start</c>.
/// </summary>
public sealed class EdgeFeed : ReceiveActor
{
    private readonly string edgeName;
    private readonly IReadOnlyList<Batch> batches;
    private readonly int window;
    private readonly long start;
    private readonly List<FeedBatchRecord> observed = new();
    private readonly List<FeedUpdateRecord> updates = new();
    private IActorRef? edge;
    private int sent;

    public EdgeFeed(string edgeName, IReadOnlyList<Batch> batches, int window, long start)
    {
        this.edgeName = edgeName ?? throw new ArgumentNullException(nameof(edgeName));
        this.batches = batches ?? throw new ArgumentNullException(nameof(batches));
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "the feed window must be at least one batch");
        this.window = window;
        this.start = start;

        Receive<StartFeed>(s =>
        {
            edge = s.Edge;
            Fill();
        });
        Receive<EdgeBatchObserved>(OnObserved);
        Receive<EdgeUpdateApplied>(u => updates.Add(new FeedUpdateRecord(u, Stopwatch.GetElapsedTime(start))));
        Receive<GetFeedProgress>(_ => Sender.Tell(new FeedProgress(edgeName, sent, observed.Count, batches.Count)));
        Receive<GetFeedRecord>(_ => Sender.Tell(new FeedRecord(edgeName, observed.ToArray(), updates.ToArray())));
    }

    /// <param name="start">Stopwatch timestamp the records' times count from.</param>
    public static Props Props(string edgeName, IReadOnlyList<Batch> batches, int window, long start) =>
        Runtime.Props.Create(() => new EdgeFeed(edgeName, batches, window, start));

    private void OnObserved(EdgeBatchObserved o)
    {
        // The edge predicts batches in the order they were sent, so its sequence number is the batch's index.
        var batch = batches[(int)o.Sequence];
        observed.Add(new FeedBatchRecord(o, batch.SegmentIndex, batch.Corruption, batch.Severity, Stopwatch.GetElapsedTime(start)));
        Fill();
    }

    private void Fill()
    {
        if (edge is null) return;
        while (sent < batches.Count && sent - observed.Count < window)
        {
            var batch = batches[sent++];
            edge.Tell(new FrameBatch(batch.Pixels, batch.Count, batch.Labels.Select(l => (int)l).ToArray()), Self);
        }
    }
}
