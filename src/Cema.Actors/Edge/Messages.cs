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
/// What an edge did so far. Accuracy is over labelled frames; the upload rate is uploaded / seen. The update
/// latency runs from the first upload sent under a version to the application of the next version.
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
    TimeSpan? MeanUpdateLatency);
