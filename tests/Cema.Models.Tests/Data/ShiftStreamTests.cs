using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

public class ShiftStreamTests
{
    private static readonly IReadOnlyList<ShiftSegment> ThreeSegments = ShiftSegment.ParseList("fog:5, gaussian_noise:3,contrast:1");

    private static ShiftStream Stream(ShiftMode mode, ulong seed = 0, int limit = 50, int batchSize = 16) =>
        new(TestData.Test, ThreeSegments, mode, batchSize, seed, limit);

    [Fact]
    public void Segments_come_in_the_given_order_as_shuffles_of_the_first_limit_images()
    {
        List<Batch> batches = Stream(ShiftMode.Continual).ToList();
        Assert.Equal(3 * 4, batches.Count); // 50 images in batches of 16: 16, 16, 16, 2
        Assert.Equal(["fog:5", "gaussian_noise:3", "contrast:1"], batches.Select(b => $"{b.Corruption}:{b.Severity}").Distinct());
        for (int s = 0; s < 3; s++)
        {
            var segment = batches.Where(b => b.SegmentIndex == s).ToList();
            Assert.Equal([16, 16, 16, 2], segment.Select(b => b.Count));
            Assert.All(segment, b => Assert.Equal(ThreeSegments[s], new ShiftSegment(b.Corruption, b.Severity)));
            int[] sources = segment.SelectMany(b => b.SourceIndices).ToArray();
            Assert.Equal(Enumerable.Range(0, 50), sources.Order());
            Assert.NotEqual(Enumerable.Range(0, 50), sources); // shuffled
        }
    }

    [Fact]
    public void Batches_hold_the_corrupted_image_and_the_label_of_their_source()
    {
        Batch batch = Stream(ShiftMode.Continual, seed: 9).Skip(5).First();
        Assert.Equal("gaussian_noise", batch.Corruption);
        for (int k = 0; k < batch.Count; k++)
        {
            int source = batch.SourceIndices[k];
            Assert.Equal(TestData.Test.Labels[source], batch.Labels[k]);
            byte[] expected = Corruption.Get("gaussian_noise").Apply(TestData.Test.Image(source), 3, seed: 9, index: source);
            Assert.Equal(expected, batch.Pixels.AsSpan(k * 784, 784).ToArray());
        }
    }

    [Fact]
    public void Per_domain_mode_flags_the_first_batch_of_each_segment_and_continual_never_does()
    {
        List<Batch> perDomain = Stream(ShiftMode.PerDomain).ToList();
        Assert.Equal([0, 4, 8], perDomain.Select((b, i) => (b, i)).Where(x => x.b.IsNewDomain).Select(x => x.i));
        Assert.DoesNotContain(Stream(ShiftMode.Continual), b => b.IsNewDomain);
    }

    [Fact]
    public void Limit_restricts_each_segment_to_the_first_test_images()
    {
        var stream = new ShiftStream(TestData.Test, ShiftSegment.ImageNetCOrder(5), ShiftMode.Continual, 64, 0, limit: 10);
        Assert.Equal(15, stream.TotalBatches);
        List<Batch> batches = stream.ToList();
        Assert.Equal(15, batches.Count);
        Assert.All(batches, b => Assert.All(b.SourceIndices, i => Assert.InRange(i, 0, 9)));
        Assert.Equal(Corruption.Test.Select(c => c.Name), batches.Select(b => b.Corruption));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShiftStream(TestData.Test, ThreeSegments, ShiftMode.Continual, 8, 0, limit: 10_001));
    }

    [Fact]
    public void Streams_are_deterministic_across_instances_and_passes_and_change_with_the_seed()
    {
        ShiftStream stream = Stream(ShiftMode.Continual, seed: 4);
        byte[] firstPass = stream.SelectMany(b => b.Pixels).ToArray();
        byte[] secondPass = stream.SelectMany(b => b.Pixels).ToArray();
        byte[] otherInstance = Stream(ShiftMode.Continual, seed: 4).SelectMany(b => b.Pixels).ToArray();
        Assert.Equal(firstPass, secondPass);
        Assert.Equal(firstPass, otherInstance);
        int[] order = Stream(ShiftMode.Continual, seed: 4).SelectMany(b => b.SourceIndices).ToArray();
        int[] otherOrder = Stream(ShiftMode.Continual, seed: 5).SelectMany(b => b.SourceIndices).ToArray();
        Assert.NotEqual(order, otherOrder);
    }

    [Fact]
    public void Describe_prints_mode_seed_and_the_order()
    {
        string text = Stream(ShiftMode.PerDomain, seed: 11).Describe();
        Assert.Contains("per-domain", text);
        Assert.Contains("seed 11", text);
        Assert.Contains("50 test images per segment", text);
        Assert.True(text.IndexOf("fog:5") < text.IndexOf("gaussian_noise:3") && text.IndexOf("gaussian_noise:3") < text.IndexOf("contrast:1"));
        Assert.Contains("continual", Stream(ShiftMode.Continual).Describe());
    }

    [Fact]
    public void Bad_segments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ShiftStream(TestData.Test, [new ShiftSegment("rain", 3)], ShiftMode.Continual, 8, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShiftStream(TestData.Test, [new ShiftSegment("fog", 6)], ShiftMode.Continual, 8, 0));
        Assert.Throws<FormatException>(() => ShiftSegment.Parse("fog"));
        Assert.Equal(new ShiftSegment("fog", 4), ShiftSegment.Parse("fog:4"));
    }
}
