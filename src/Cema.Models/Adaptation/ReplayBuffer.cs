using Cema.Models.Data;

namespace Cema.Models.Adaptation;

/// <summary>
/// The cloud's memory of uploaded samples: raw uint8 pixels (not logits, which go stale as the models
/// adapt), first in first out, bounded by a sample count and by total bytes, whichever binds first.
/// Not thread-safe: one owner (the replay actor) adds and samples.
/// </summary>
public sealed class ReplayBuffer
{
    private readonly byte[]?[] ring;
    private int head; // index of the oldest sample

    public ReplayBuffer(int capacity, long maxBytes)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");
        if (maxBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "maxBytes must be positive");
        ring = new byte[capacity][];
        MaxBytes = maxBytes;
    }

    public ReplayBuffer(ReplaySettings settings) : this(settings.Capacity, settings.MaxBytes) { }

    public int Capacity => ring.Length;
    public long MaxBytes { get; }

    /// <summary>Samples held.</summary>
    public int Count { get; private set; }

    /// <summary>Pixel bytes held.</summary>
    public long Bytes { get; private set; }

    /// <summary>Samples dropped to make room, since creation.</summary>
    public long Evicted { get; private set; }

    /// <summary>
    /// Appends <paramref name="count"/> samples whose pixels lie back to back in <paramref name="pixels"/>
    /// (equal sizes), evicting the oldest as needed.
    /// </summary>
    public void Add(ReadOnlySpan<byte> pixels, int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        if (pixels.Length % count != 0 || pixels.Length == 0)
            throw new ArgumentException($"{pixels.Length} bytes do not split into {count} equal samples", nameof(pixels));
        int size = pixels.Length / count;
        if (size > MaxBytes) throw new ArgumentException($"a sample of {size} bytes exceeds MaxBytes = {MaxBytes}", nameof(pixels));
        for (int i = 0; i < count; i++)
        {
            while (Count == Capacity || Bytes + size > MaxBytes) EvictOldest();
            ring[(head + Count) % Capacity] = pixels.Slice(i * size, size).ToArray();
            Count++;
            Bytes += size;
        }
    }

    /// <summary>
    /// Drops the <paramref name="count"/> oldest samples (all of them at most), for an owner that bounds
    /// several buffers together; they count in <see cref="Evicted"/>. Returns how many were dropped.
    /// </summary>
    public int EvictOldest(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must not be negative");
        int dropped = Math.Min(count, Count);
        for (int i = 0; i < dropped; i++) EvictOldest();
        return dropped;
    }

    private void EvictOldest()
    {
        Bytes -= ring[head]!.Length;
        ring[head] = null;
        head = (head + 1) % Capacity;
        Count--;
        Evicted++;
    }

    /// <summary>
    /// <paramref name="k"/> distinct samples drawn uniformly without replacement (a partial Fisher–Yates
    /// shuffle driven by <paramref name="random"/>, so the draw is reproducible from its seed), their
    /// pixels back to back in draw order.
    /// </summary>
    public byte[] Sample(int k, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (k < 0 || k > Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"can draw 0–{Count} samples");
        var positions = new int[Count];
        for (int i = 0; i < positions.Length; i++) positions[i] = i;
        var samples = new byte[k][];
        for (int i = 0; i < k; i++)
        {
            int j = i + random.NextInt(Count - i);
            (positions[i], positions[j]) = (positions[j], positions[i]);
            samples[i] = ring[(head + positions[i]) % Capacity]!;
        }
        var pixels = new byte[samples.Sum(s => (long)s.Length)];
        long offset = 0;
        foreach (var s in samples)
        {
            s.CopyTo(pixels, offset);
            offset += s.Length;
        }
        return pixels;
    }
}
