using Cema.Models.Adaptation;

namespace Cema.Actors.Edge;

/// <summary>
/// A batch of camera frames: <paramref name="Count"/> uint8 28×28 images back to back, with their labels
/// when known (for accuracy only; the edge never trains).
/// </summary>
public sealed record FrameBatch(byte[] Pixels, int Count, int[]? Labels = null);

/// <summary>Asks the edge for its statistics; answered with <see cref="EdgeStats"/>.</summary>
public sealed record GetEdgeStats
{
    public static GetEdgeStats Instance { get; } = new();
}

/// <summary>
/// What an edge did so far. Accuracy is over labelled frames (SourceAccuracy: the frozen source network's on
/// the same frames, when <see cref="EdgeSettings.MeasureSource"/>); the upload rate is uploaded / seen. The
/// update latency runs from the first upload sent under a version to the application of the next version.
/// FramesWaiting counts frame batches held back by the update delay.
/// </summary>
public sealed record EdgeStats(
    string Edge,
    string Group,
    bool Subscribed,
    long Version,
    long FramesSeen,
    long RejectedBatches,
    long LabelledFrames,
    long Correct,
    double Accuracy,
    SelectionCounts Selection,
    long SamplesUploaded,
    long Uploads,
    double UploadRate,
    long UpdatesApplied,
    long UpdatesIgnored,
    long LatestRequested,
    TimeSpan? LastUpdateLatency,
    TimeSpan? MeanUpdateLatency,
    long SourceCorrect = 0,
    double? SourceAccuracy = null,
    int BatchesWaiting = 0);

/// <summary>
/// Sent to an edge's observer (given to <see cref="EdgeActor.Props"/>) after each frame batch: batch
/// <paramref name="Sequence"/> (0, 1, … in the order predicted) of <paramref name="Frames"/> frames, how many
/// were labelled and predicted right by the edge and by the frozen source network (−1 when not measured),
/// how many it uploaded, the selector's E_max for the batch, and the parameter version it was predicted with.
/// </summary>
public sealed record EdgeBatchObserved(
    string Edge,
    long Sequence,
    int Frames,
    int Labelled,
    int Correct,
    int SourceCorrect,
    int Uploaded,
    double EMax,
    long Version);

/// <summary>Sent to an edge's observer when it applies a parameter version; <paramref name="Latency"/> as in <see cref="EdgeStats"/> (null when it had uploaded nothing under the previous one).</summary>
public sealed record EdgeUpdateApplied(string Edge, long Version, TimeSpan? Latency);
