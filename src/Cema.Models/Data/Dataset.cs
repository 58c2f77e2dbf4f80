namespace Cema.Models.Data;

/// <summary>
/// Images and labels held as raw bytes: <see cref="Pixels"/> is N×784 row-major uint8 (0 = black
/// background, 255 = brightest), <see cref="Labels"/> is N class indices in 0–9.
/// </summary>
public sealed record Dataset(byte[] Pixels, byte[] Labels, IReadOnlyList<string> ClassNames)
{
    public const int Height = 28;
    public const int Width = 28;
    public const int PixelsPerImage = Height * Width;

    public int Count => Labels.Length;

    /// <summary>The 784 pixels of image <paramref name="index"/>, without copying.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"the dataset has {Count} images");
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>A copy of images [start, start + count), e.g. to split the training file.</summary>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"slice [{start}, {start + count}) is outside the {Count} images");
        return new Dataset(
            Pixels.AsSpan(start * PixelsPerImage, count * PixelsPerImage).ToArray(),
            Labels.AsSpan(start, count).ToArray(),
            ClassNames);
    }
}
