using Cema.Torch;

namespace Cema.Models.Data;

/// <summary>
/// Turns uint8 Fashion-MNIST pixels into the float32 N×1×28×28 input the networks take, standardized
/// as (x/255 − <see cref="Mean"/>) / <see cref="Std"/>.
/// </summary>
public static class ImageTensors
{
    /// <summary>Mean pixel intensity of the 60,000 training images, on the [0, 1] scale (72.94/255).</summary>
    public const float Mean = 0.2860f;

    /// <summary>Standard deviation of the training pixels on the [0, 1] scale (90.02/255).</summary>
    public const float Std = 0.3530f;

    public static Tensor ToTensor(Batch batch) => ToTensor(batch.Pixels, batch.Count);

    /// <summary><paramref name="count"/> images of 784 bytes each, as a new float32 tensor N×1×28×28.</summary>
    public static Tensor ToTensor(ReadOnlySpan<byte> pixels, int count)
    {
        if (count <= 0 || pixels.Length != count * Dataset.PixelsPerImage)
            throw new ArgumentException($"{count} images need {count * Dataset.PixelsPerImage} bytes, got {pixels.Length}", nameof(pixels));
        var values = new float[pixels.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (pixels[i] / 255f - Mean) / Std;
        return torch.tensor<float>(values, count, 1, Dataset.Height, Dataset.Width);
    }
}
