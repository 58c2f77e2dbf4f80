using Cema.Models.Adaptation;
using Cema.Models.Data;

namespace Cema.Models.Tests.Adaptation;

public class ReplayBufferTests
{
    /// <summary>A buffer holding samples 0..n−1, each <paramref name="size"/> bytes all equal to its number.</summary>
    private static ReplayBuffer Numbered(int n, int size = 1, int capacity = 10_000, long maxBytes = 1 << 20)
    {
        var buffer = new ReplayBuffer(capacity, maxBytes);
        buffer.Add(Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat((byte)i, size)).ToArray(), n);
        return buffer;
    }

    [Fact]
    public void Draws_are_uniform_by_a_chi_square_test_and_never_repeat_within_a_draw()
    {
        const int Items = 20, K = 5, Draws = 4_000;
        var buffer = Numbered(Items);
        var random = new SeededRandom(20240611);
        var counts = new long[Items];
        for (int d = 0; d < Draws; d++)
        {
            byte[] draw = buffer.Sample(K, random);
            Assert.Equal(K, draw.Length);
            Assert.Equal(K, draw.Distinct().Count());
            foreach (byte item in draw) counts[item]++;
        }
        double expected = (double)Draws * K / Items;
        double chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        // 19 degrees of freedom: P(χ² > 43.82) = 0.001. A fixed seed makes the outcome deterministic;
        // a sampler that never drew one of the 20 would score over 1,000 from that item alone.
        Assert.True(chiSquare < 43.82, $"χ² = {chiSquare:F2} over counts [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void A_draw_is_reproducible_from_its_seed_and_returns_whole_samples()
    {
        var buffer = Numbered(50, size: 3);
        byte[] a = buffer.Sample(10, new SeededRandom(7)), b = buffer.Sample(10, new SeededRandom(7)), c = buffer.Sample(10, new SeededRandom(8));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        for (int i = 0; i < a.Length; i += 3) Assert.True(a[i] == a[i + 1] && a[i] == a[i + 2], "a sample's bytes were split");
        Assert.Empty(buffer.Sample(0, new SeededRandom(1)));
        Assert.Equal(50, buffer.Sample(50, new SeededRandom(1)).Distinct().Count());
    }

    [Fact]
    public void The_count_bound_evicts_the_oldest_first()
    {
        var buffer = new ReplayBuffer(capacity: 3, maxBytes: 1_000);
        buffer.Add(new byte[] { 0, 1 }, 2);
        buffer.Add(new byte[] { 2, 3, 4 }, 3);
        Assert.Equal(3, buffer.Count);
        Assert.Equal(2, buffer.Evicted);
        Assert.Equal(3, buffer.Bytes);
        Assert.Equal(new byte[] { 2, 3, 4 }, buffer.Sample(3, new SeededRandom(1)).Order().ToArray());
    }

    [Fact]
    public void An_owner_can_evict_the_oldest_samples_and_they_are_counted()
    {
        var buffer = Numbered(5, size: 2);
        Assert.Equal(2, buffer.EvictOldest(2));
        Assert.Equal((3, 6L, 2L), (buffer.Count, buffer.Bytes, buffer.Evicted));
        Assert.Equal(new byte[] { 2, 3, 4 }, buffer.Sample(3, new SeededRandom(1)).Distinct().Order().ToArray());
        Assert.Equal(3, buffer.EvictOldest(10));
        Assert.Equal((0, 0L, 5L), (buffer.Count, buffer.Bytes, buffer.Evicted));
        buffer.Add(new byte[] { 9, 9 }, 1);
        Assert.Equal(new byte[] { 9, 9 }, buffer.Sample(1, new SeededRandom(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.EvictOldest(-1));
    }

    [Fact]
    public void The_byte_bound_evicts_the_oldest_first()
    {
        // 4-byte samples, 10 bytes allowed: two fit.
        var buffer = new ReplayBuffer(capacity: 100, maxBytes: 10);
        buffer.Add(new byte[] { 1, 1, 1, 1, 2, 2, 2, 2 }, 2);
        Assert.Equal(8, buffer.Bytes);
        buffer.Add(new byte[] { 3, 3, 3, 3 }, 1);
        Assert.Equal(2, buffer.Count);
        Assert.Equal(8, buffer.Bytes);
        Assert.Equal(1, buffer.Evicted);
        Assert.Equal(new byte[] { 2, 3 }, buffer.Sample(2, new SeededRandom(1)).Where((_, i) => i % 4 == 0).Order().ToArray());

        // A larger sample pushes out as many old ones as it needs.
        buffer.Add(new byte[] { 9, 9, 9, 9, 9, 9, 9 }, 1);
        Assert.Equal(1, buffer.Count);
        Assert.Equal(7, buffer.Bytes);
        Assert.Equal(3, buffer.Evicted);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var buffer = Numbered(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Sample(5, new SeededRandom(1)));
        Assert.Throws<ArgumentException>(() => buffer.Add(new byte[7], 2));
        Assert.Throws<ArgumentException>(() => new ReplayBuffer(10, 4).Add(new byte[5], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayBuffer(0, 4));
    }

    [Fact]
    public void The_policy_replays_from_256_samples_and_runs_replay_only_steps_above_it()
    {
        var s = OfficialSettings.Replay;
        Assert.Equal(0, s.ReplayedFor(255));
        Assert.Equal(96, s.ReplayedFor(256));
        Assert.False(s.WantsReplayOnlyStep(stepRan: false, buffered: 256));
        Assert.True(s.WantsReplayOnlyStep(stepRan: false, buffered: 257));
        Assert.False(s.WantsReplayOnlyStep(stepRan: true, buffered: 5_000));
    }
}
