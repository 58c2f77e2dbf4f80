using Cema.Models.Data;

namespace Cema.Models.Training;

/// <summary>Which augmentation a training run applies to each training image.</summary>
public enum AugmentationKind
{
    /// <summary>None: the image as it is (for checks and ablations).</summary>
    None,

    /// <summary>Random crop with zero padding, then a random horizontal flip.</summary>
    Standard,

    /// <summary><see cref="Standard"/>, then AugMix's mixing of random chains of <see cref="AugMix"/> operations.</summary>
    AugMix,
}

/// <summary>
/// Training-time augmentation of 28×28 uint8 images. Every random choice comes from a
/// <see cref="SeededRandom"/> the caller derives from (seed, epoch, image index), so an epoch's
/// images are the same whatever order or thread they are made in, and a resumed run sees exactly
/// the images an uninterrupted one would.
/// </summary>
public static class Augmentation
{
    private const int Size = Dataset.Width;

    public static AugmentationKind ParseKind(string text) => text switch
    {
        "none" => AugmentationKind.None,
        "standard" => AugmentationKind.Standard,
        "augmix" => AugmentationKind.AugMix,
        _ => throw new ArgumentException($"unknown augmentation '{text}' (expected none, standard or augmix)", nameof(text)),
    };

    public static string Name(AugmentationKind kind) => kind switch
    {
        AugmentationKind.None => "none",
        AugmentationKind.Standard => "standard",
        _ => "augmix",
    };

    /// <summary>
    /// Pads the image by <paramref name="padding"/> zero (background) pixels on each side and cuts
    /// the 28×28 window whose top-left corner is at (<paramref name="top"/>, <paramref name="left"/>)
    /// of the padded image, each in 0…2·padding. (padding, padding) returns the image unchanged.
    /// </summary>
    public static void Crop(ReadOnlySpan<byte> image, Span<byte> result, int padding, int top, int left)
    {
        CheckImage(image, result);
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "must be non-negative");
        if (top < 0 || top > 2 * padding || left < 0 || left > 2 * padding)
            throw new ArgumentOutOfRangeException(nameof(top), $"the window ({top}, {left}) is outside 0…{2 * padding}");
        int dy = top - padding, dx = left - padding;
        for (int y = 0; y < Size; y++)
        {
            int sy = y + dy;
            for (int x = 0; x < Size; x++)
            {
                int sx = x + dx;
                result[y * Size + x] = (uint)sy < Size && (uint)sx < Size ? image[sy * Size + sx] : (byte)0;
            }
        }
    }

    /// <summary>Mirrors the image left to right.</summary>
    public static void FlipHorizontal(ReadOnlySpan<byte> image, Span<byte> result)
    {
        CheckImage(image, result);
        if (image.Overlaps(result))
        {
            FlipHorizontal(image.ToArray(), result);
            return;
        }
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                result[y * Size + x] = image[y * Size + Size - 1 - x];
    }

    /// <summary>A random crop (window uniform over 0…2·padding in each direction) then a flip with probability ½.</summary>
    public static byte[] RandomCropFlip(ReadOnlySpan<byte> image, int padding, SeededRandom random)
    {
        var cropped = new byte[Dataset.PixelsPerImage];
        Crop(image, cropped, padding, random.NextInt(2 * padding + 1), random.NextInt(2 * padding + 1));
        if (random.NextDouble() < 0.5) FlipHorizontal(cropped, cropped);
        return cropped;
    }

    /// <summary>
    /// One augmented training image as floats in [0, 1]: <see cref="AugmentationKind.Standard"/>
    /// crops (padding <paramref name="padding"/>) and flips; <see cref="AugmentationKind.AugMix"/>
    /// then mixes AugMix chains into it.
    /// </summary>
    public static void Apply(AugmentationKind kind, ReadOnlySpan<byte> image, int padding, SeededRandom random, Span<float> result)
    {
        if (result.Length != Dataset.PixelsPerImage) throw new ArgumentException($"the result holds {result.Length} values, an image is {Dataset.PixelsPerImage}", nameof(result));
        switch (kind)
        {
            case AugmentationKind.None:
                for (int i = 0; i < result.Length; i++) result[i] = image[i] / 255f;
                break;
            case AugmentationKind.Standard:
                var standard = RandomCropFlip(image, padding, random);
                for (int i = 0; i < result.Length; i++) result[i] = standard[i] / 255f;
                break;
            case AugmentationKind.AugMix:
                AugMix.Mix(RandomCropFlip(image, padding, random), random, result);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown augmentation");
        }
    }

    private static void CheckImage(ReadOnlySpan<byte> image, Span<byte> result)
    {
        if (image.Length != Dataset.PixelsPerImage || result.Length != Dataset.PixelsPerImage)
            throw new ArgumentException($"images are {Dataset.PixelsPerImage} bytes (28×28), got {image.Length} and {result.Length}");
    }
}
