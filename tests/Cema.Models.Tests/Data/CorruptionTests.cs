using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

public class CorruptionTests
{
    /// <summary>Corruptions that draw random numbers; the others are fixed functions of the image.</summary>
    private static readonly HashSet<string> Stochastic =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "glass_blur", "motion_blur", "snow", "frost", "fog",
        "elastic_transform", "speckle_noise", "spatter",
    ];

    public static TheoryData<string> Names => new(Corruption.Names);

    [Fact]
    public void Registry_lists_the_15_test_then_4_validation_corruptions_in_ImageNet_C_order()
    {
        Assert.Equal(
            [
                "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
                "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
                "speckle_noise", "gaussian_blur", "spatter", "saturate",
            ],
            Corruption.Names);
        Assert.All(Corruption.Test, c => Assert.False(c.IsValidation));
        Assert.All(Corruption.Validation, c => Assert.True(c.IsValidation));
        Assert.Equal(15, Corruption.Test.Count);
        Assert.Same(Corruption.Get("fog"), Corruption.Get("fog"));
        var e = Assert.Throws<ArgumentException>(() => Corruption.Get("rain"));
        Assert.Contains("gaussian_noise", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Same_arguments_give_identical_bytes_and_other_indices_other_noise(string name)
    {
        Corruption corruption = Corruption.Get(name);
        ReadOnlySpan<byte> image = TestData.Test.Image(0);
        for (int severity = 1; severity <= 5; severity++)
        {
            byte[] first = corruption.Apply(image, severity, seed: 7, index: 0);
            byte[] again = corruption.Apply(image, severity, seed: 7, index: 0);
            Assert.Equal(first, again);
            Assert.Equal(784, first.Length);
            Assert.NotEqual(image.ToArray(), first);

            byte[] otherIndex = corruption.Apply(image, severity, seed: 7, index: 1);
            byte[] otherSeed = corruption.Apply(image, severity, seed: 8, index: 0);
            if (Stochastic.Contains(name))
            {
                Assert.NotEqual(first, otherIndex);
                Assert.NotEqual(first, otherSeed);
            }
            else
            {
                Assert.Equal(first, otherIndex);
                Assert.Equal(first, otherSeed);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Distortion_grows_strictly_with_severity_over_100_images(string name)
    {
        Corruption corruption = Corruption.Get(name);
        int[] indices = TestData.SpreadIndices(100);
        var distortion = new double[6];
        for (int severity = 1; severity <= 5; severity++)
        {
            double total = 0;
            foreach (int index in indices)
            {
                ReadOnlySpan<byte> clean = TestData.Test.Image(index);
                byte[] corrupted = corruption.Apply(clean, severity, seed: 0, index);
                for (int p = 0; p < clean.Length; p++) total += Math.Abs(corrupted[p] - clean[p]);
            }
            distortion[severity] = total / (indices.Length * 784.0);
        }
        string table = string.Join(", ", distortion.Skip(1).Select(d => d.ToString("F2")));
        Assert.True(distortion[1] > 1, $"{name}: severity 1 barely changes the image (mean |Δ| per severity: {table})");
        for (int severity = 2; severity <= 5; severity++)
            Assert.True(distortion[severity] > distortion[severity - 1], $"{name}: severity {severity} is not stronger than {severity - 1} (mean |Δ| per severity: {table})");
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Corruption fog = Corruption.Get("fog");
        Assert.Throws<ArgumentOutOfRangeException>(() => fog.Apply(new byte[784], 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => fog.Apply(new byte[784], 6, 0, 0));
        Assert.Throws<ArgumentException>(() => fog.Apply(new byte[783], 1, 0, 0));
    }

    [Fact]
    public void Extreme_images_stay_in_range_and_keep_their_shape()
    {
        byte[] black = new byte[784], white = Enumerable.Repeat((byte)255, 784).ToArray();
        foreach (Corruption corruption in Corruption.All)
            for (int severity = 1; severity <= 5; severity++)
                foreach (byte[] image in new[] { black, white })
                    Assert.Equal(784, corruption.Apply(image, severity, 3, 5).Length);
        // Brightness cannot darken and contrast cannot change a flat image.
        Assert.All(Corruption.Get("brightness").Apply(white, 5, 0, 0), v => Assert.Equal(255, v));
        Assert.Equal(black, Corruption.Get("contrast").Apply(black, 5, 0, 0));
    }

    /// <summary>
    /// The benchmark's bytes, pinned: a change to any corruption, parameter, the PRNG or the seeding
    /// changes every published number, so it must be deliberate. If you meant it, update the value
    /// and say so in docs/CORRUPTIONS.md.
    /// </summary>
    [Fact]
    public void Corrupted_bytes_are_pinned()
    {
        uint crc = Crc32.Initial;
        foreach (Corruption corruption in Corruption.All)
            for (int severity = 1; severity <= 5; severity++)
                crc = Crc32.Update(crc, corruption.Apply(TestData.Test.Image(42), severity, seed: 2024, index: 42));
        Assert.Equal(PinnedCrc, crc ^ Crc32.Initial);
    }

    private const uint PinnedCrc = 1964776406u;

    [Fact]
    public void Docs_table_of_every_corruption_matches_the_code()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "CORRUPTIONS.md"));
        foreach (Corruption corruption in Corruption.All)
        {
            Assert.Contains($"### {corruption.Name}", docs);
            Assert.True(docs.Contains(corruption.MarkdownTable()), $"docs/CORRUPTIONS.md does not have the current parameter table of {corruption.Name}:\n{corruption.MarkdownTable()}");
        }
    }

    [Fact]
    public void Zoom_factors_match_numpy_arange()
    {
        Assert.Equal(11, ZoomBlur.Factors(1).Length);
        Assert.Equal(16, ZoomBlur.Factors(2).Length);
        Assert.Equal(11, ZoomBlur.Factors(3).Length);
        Assert.Equal(13, ZoomBlur.Factors(4).Length);
        Assert.Equal(11, ZoomBlur.Factors(5).Length);
        Assert.Equal(1.30, ZoomBlur.Factors(5)[^1], 1e-12);
    }

    [Fact]
    public void Defocus_disk_is_normalized_and_round()
    {
        double[,] disk = DefocusBlur.Disk(1.65);
        double sum = 0;
        foreach (double w in disk) sum += w;
        Assert.Equal(1, sum, 1e-12);
        int c = disk.GetLength(0) / 2;
        Assert.Equal(disk[c, c + 1], disk[c + 1, c], 1e-15);
        Assert.True(disk[c, c] >= disk[c, c + 1] && disk[c, c + 1] > disk[c + 1, c + 1]);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CemaActors.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("CemaActors.sln not found above " + AppContext.BaseDirectory);
    }
}
