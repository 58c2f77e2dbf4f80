using System.Text;

namespace Cema.Models.Data;

public enum ShiftMode
{
    /// <summary>Segments follow each other with no reset and no signal that the domain changed.</summary>
    Continual,

    /// <summary>One segment at a time; the first batch of each is flagged so the model can be reset.</summary>
    PerDomain,
}

/// <summary>
/// A test-time stream of corrupted test images: for each segment, in the configured order, the first
/// <c>limit</c> test images shuffled by a seeded permutation and corrupted at the segment's severity,
/// cut into batches that never straddle two segments. Batches are made lazily; each corrupted image is
/// computed once per stream and kept, so a second pass (another epoch or another method on the same
/// stream) does not redo the corruption work. At most segments × limit × 784 bytes are kept
/// (15 × 10,000 × 784 = 118 MB for the full benchmark). Enumerate one stream from one thread at a
/// time: the cache is filled without locks.
/// </summary>
public sealed class ShiftStream : IEnumerable<Batch>
{
    private readonly Dataset _test;
    private readonly CorruptedImages[] _corrupted;
    private readonly int[][] _orders;

    public ShiftStream(Dataset test, IReadOnlyList<ShiftSegment> segments, ShiftMode mode, int batchSize, ulong seed, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (segments.Count == 0) throw new ArgumentException("a stream needs at least one segment", nameof(segments));
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be positive");
        int perSegment = limit ?? test.Count;
        if (perSegment <= 0 || perSegment > test.Count)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"must be in 1–{test.Count}, the test images available");

        _test = test;
        Segments = segments.ToArray();
        Mode = mode;
        BatchSize = batchSize;
        Seed = seed;
        ImagesPerSegment = perSegment;

        var shared = new Dictionary<ShiftSegment, CorruptedImages>();
        _corrupted = new CorruptedImages[Segments.Count];
        _orders = new int[Segments.Count][];
        for (int s = 0; s < Segments.Count; s++)
        {
            ShiftSegment segment = Segments[s];
            Corruption corruption = Corruption.Get(segment.Corruption);
            corruption.CheckSeverity(segment.Severity);
            // A segment repeated later in the order reuses the images already computed for it.
            if (!shared.TryGetValue(segment, out var images)) shared[segment] = images = new CorruptedImages(test, corruption, segment.Severity, seed, perSegment);
            _corrupted[s] = images;
            _orders[s] = Enumerable.Range(0, perSegment).ToArray();
            SeededRandom.For(seed, "shift-stream-order", s, 0).Shuffle(_orders[s].AsSpan());
        }
    }

    public IReadOnlyList<ShiftSegment> Segments { get; }
    public ShiftMode Mode { get; }
    public int BatchSize { get; }
    public ulong Seed { get; }
    public int ImagesPerSegment { get; }

    public int BatchesPerSegment => (ImagesPerSegment + BatchSize - 1) / BatchSize;

    public int TotalBatches => BatchesPerSegment * Segments.Count;

    /// <summary>The order of test indices segment <paramref name="segmentIndex"/> visits.</summary>
    public IReadOnlyList<int> Order(int segmentIndex) => _orders[segmentIndex];

    public IEnumerator<Batch> GetEnumerator()
    {
        for (int s = 0; s < Segments.Count; s++)
        {
            for (int start = 0; start < ImagesPerSegment; start += BatchSize)
            {
                int count = Math.Min(BatchSize, ImagesPerSegment - start);
                var pixels = new byte[count * Dataset.PixelsPerImage];
                var labels = new byte[count];
                var sources = new int[count];
                for (int k = 0; k < count; k++)
                {
                    int source = _orders[s][start + k];
                    _corrupted[s].Get(source).CopyTo(pixels.AsSpan(k * Dataset.PixelsPerImage));
                    labels[k] = _test.Labels[source];
                    sources[k] = source;
                }
                bool isNewDomain = Mode == ShiftMode.PerDomain && start == 0;
                yield return new Batch(pixels, labels, sources, Segments[s].Corruption, Segments[s].Severity, s, isNewDomain);
            }
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A human-readable account of the stream, for logs and run records.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        string mode = Mode == ShiftMode.Continual ? "continual (no reset between segments)" : "per-domain (reset flagged at each segment)";
        text.Append($"shift stream: {mode}, seed {Seed}, batch size {BatchSize}, ")
            .Append($"{ImagesPerSegment} test images per segment ({BatchesPerSegment} batches), {Segments.Count} segments:\n");
        for (int s = 0; s < Segments.Count; s++) text.Append($"  {s + 1,2}. {Segments[s]}\n");
        return text.ToString();
    }

    /// <summary>The corrupted test images of one (corruption, severity), made on first use and kept.</summary>
    private sealed class CorruptedImages(Dataset test, Corruption corruption, int severity, ulong seed, int count)
    {
        private readonly byte[] _pixels = new byte[count * Dataset.PixelsPerImage];
        private readonly bool[] _done = new bool[count];

        public ReadOnlySpan<byte> Get(int index)
        {
            Span<byte> slot = _pixels.AsSpan(index * Dataset.PixelsPerImage, Dataset.PixelsPerImage);
            if (!_done[index])
            {
                corruption.Apply(test.Image(index), severity, seed, index).CopyTo(slot);
                _done[index] = true;
            }
            return slot;
        }
    }
}
