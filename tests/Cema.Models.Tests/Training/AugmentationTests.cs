using Cema.Models.Data;
using Cema.Models.Training;

namespace Cema.Models.Tests.Training;

public class AugmentationTests
{
    private const int Size = Dataset.Width;

    /// <summary>A black image with one pixel of <paramref name="value"/> at (y, x).</summary>
    private static byte[] Dot(int y, int x, byte value = 200)
    {
        var image = new byte[Dataset.PixelsPerImage];
        image[y * Size + x] = value;
        return image;
    }

    private static (int y, int x) Brightest(ReadOnlySpan<byte> image)
    {
        int best = 0;
        for (int i = 1; i < image.Length; i++) if (image[i] > image[best]) best = i;
        return (best / Size, best % Size);
    }

    private static byte[] Gradient()
    {
        var image = new byte[Dataset.PixelsPerImage];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                image[y * Size + x] = (byte)(40 + 4 * x + 2 * y);
        return image;
    }

    [Fact]
    public void Crop_shifts_content_by_the_window_offset_and_fills_with_black()
    {
        var image = Dot(5, 7);
        var result = new byte[Dataset.PixelsPerImage];

        Augmentation.Crop(image, result, padding: 2, top: 2, left: 2);
        Assert.Equal(image, result);

        // Window at the padded image's top-left: content moves down and right by the padding.
        Augmentation.Crop(image, result, padding: 2, top: 0, left: 0);
        Assert.Equal((7, 9), Brightest(result));
        Assert.Equal(1, result.Count(v => v != 0));

        Augmentation.Crop(image, result, padding: 4, top: 8, left: 5);
        Assert.Equal((1, 6), Brightest(result));

        // A pixel pushed out of the window is gone; what comes in from the padding is black.
        var full = Enumerable.Repeat((byte)255, Dataset.PixelsPerImage).ToArray();
        Augmentation.Crop(full, result, padding: 2, top: 0, left: 4);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                Assert.Equal(y < 2 || x >= Size - 2 ? 0 : 255, result[y * Size + x]);

        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.Crop(image, result, padding: 2, top: 5, left: 0));
    }

    [Fact]
    public void Flip_mirrors_left_and_right_and_twice_is_the_identity()
    {
        var image = Dot(5, 7);
        var result = new byte[Dataset.PixelsPerImage];
        Augmentation.FlipHorizontal(image, result);
        Assert.Equal((5, Size - 1 - 7), Brightest(result));

        var gradient = Gradient();
        var flipped = new byte[Dataset.PixelsPerImage];
        Augmentation.FlipHorizontal(gradient, flipped);
        Assert.Equal(gradient[3 * Size + 0], flipped[3 * Size + Size - 1]);
        Augmentation.FlipHorizontal(flipped, flipped);   // in place
        Assert.Equal(gradient, flipped);
    }

    [Theory]
    [InlineData(AugmentationKind.None)]
    [InlineData(AugmentationKind.Standard)]
    [InlineData(AugmentationKind.AugMix)]
    public void Apply_is_deterministic_given_the_seed_and_keeps_shape_and_range(AugmentationKind kind)
    {
        var image = TestDataImage();
        float[] Run(ulong seed, int index)
        {
            var result = new float[Dataset.PixelsPerImage];
            Augmentation.Apply(kind, image, 2, SeededRandom.For(seed, "augment", 1, index), result);
            return result;
        }

        var first = Run(7, 3);
        Assert.Equal(first, Run(7, 3));
        Assert.All(first, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(Dataset.PixelsPerImage, first.Length);
        if (kind == AugmentationKind.None)
        {
            Assert.Equal(image.Select(b => b / 255f), first);
        }
        else
        {
            // Other seeds or images draw other augmentations.
            int differing = Enumerable.Range(0, 20).Count(i => !Run(7, 100 + i).SequenceEqual(first));
            Assert.True(differing >= 15, $"{differing} of 20 other draws differ");
        }
    }

    [Fact]
    public void RandomCropFlip_uses_every_window_and_flips_about_half_the_time()
    {
        var image = Dot(10, 10);
        var positions = new HashSet<(int, int)>();
        int flipped = 0;
        for (int i = 0; i < 400; i++)
        {
            var (y, x) = Brightest(Augmentation.RandomCropFlip(image, 2, SeededRandom.For(1, "t", i, 0)));
            if (x > 13) { flipped++; x = Size - 1 - x; }
            positions.Add((y, x));
        }
        Assert.Equal(25, positions.Count);   // offsets −2…2 in each direction
        Assert.InRange(flipped, 160, 240);
    }

    [Fact]
    public void AugMix_operations_do_what_their_names_say()
    {
        var gradient = Gradient();   // values 40…202
        var stretched = AugMix.AutoContrast(gradient);
        Assert.Equal(0, stretched.Min());
        Assert.Equal(255, stretched.Max());

        Assert.All(AugMix.Posterize(gradient, 2), v => Assert.Equal(0, v & 0x3F));
        var solarized = AugMix.Solarize(gradient, 128);
        for (int i = 0; i < gradient.Length; i++)
            Assert.Equal(gradient[i] >= 128 ? 255 - gradient[i] : gradient[i], solarized[i]);

        var equalized = AugMix.Equalize(gradient);
        Assert.True(equalized.Max() - equalized.Min() > gradient.Max() - gradient.Min());

        // Translate by +3 in x samples 3 pixels to the right: content moves left.
        var moved = AugMix.Affine(Dot(5, 10), 1, 0, 3, 0, 1, 0);
        Assert.Equal((5, 7), Brightest(moved));
        Assert.Equal(Dot(5, 10), AugMix.Rotate(Dot(5, 10), 0));
        // 90° counter-clockwise about the centre (13.5, 13.5): (y, x) = (5, 10) goes to (17, 5).
        Assert.Equal((17, 5), Brightest(AugMix.Rotate(Dot(5, 10), 90)));
    }

    [Fact]
    public void AugMix_uses_no_corruption_of_the_benchmark()
    {
        var names = AugMix.Operations.Select(o => o.name).ToArray();
        Assert.Equal(
            new[] { "autocontrast", "equalize", "posterize", "rotate", "solarize", "shear_x", "shear_y", "translate_x", "translate_y" },
            names);
        Assert.Empty(names.Intersect(Corruption.Names));
        // Not even under another name: nothing in the list blurs, adds noise or changes brightness/contrast by a fixed law.
        foreach (var forbidden in new[] { "noise", "blur", "bright", "contrast", "pixel", "jpeg", "elastic", "fog", "frost", "snow", "spatter", "saturate" })
            Assert.DoesNotContain(names, n => n.Contains(forbidden, StringComparison.Ordinal) && n != "autocontrast");
    }

    private static byte[] TestDataImage()
    {
        var image = new byte[Dataset.PixelsPerImage];
        var random = new SeededRandom(42);
        for (int y = 6; y < 22; y++)
            for (int x = 8; x < 20; x++)
                image[y * Size + x] = (byte)random.NextInt(60, 255);
        return image;
    }
}
