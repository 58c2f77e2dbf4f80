using Cema.Models.Data;
using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Evaluation;

/// <summary>Offline accuracy of a fixed model: eval mode, no gradients, batches of standardized images.</summary>
public static class Evaluator
{
    /// <summary>
    /// Percentage of <paramref name="count"/> images (784 bytes each in <paramref name="pixels"/>)
    /// whose arg-max class equals the label. The model is put in eval mode and returned to the mode
    /// it was in. <paramref name="imagesDone"/> is called after every batch with the running total.
    /// </summary>
    public static double Accuracy(Module model, byte[] pixels, byte[] labels, int count, int batchSize, Action<int>? imagesDone = null)
    {
        if (count <= 0 || count > labels.Length || (long)count * Dataset.PixelsPerImage > pixels.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be in 1–{labels.Length}");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be positive");
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            long correct = 0;
            for (int start = 0; start < count; start += batchSize)
            {
                int n = Math.Min(batchSize, count - start);
                using var scope = torch.NewDisposeScope();
                var x = ImageTensors.ToTensor(pixels.AsSpan(start * Dataset.PixelsPerImage, n * Dataset.PixelsPerImage), n);
                var predicted = model.call(x).argmax(1).ToArray<long>();
                for (int i = 0; i < n; i++) if (predicted[i] == labels[start + i]) correct++;
                imagesDone?.Invoke(start + n);
            }
            return 100.0 * correct / count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public static double Accuracy(Module model, Dataset data, int count, int batchSize, Action<int>? imagesDone = null) =>
        Accuracy(model, data.Pixels, data.Labels, count, batchSize, imagesDone);

    /// <summary>
    /// The first <paramref name="count"/> images of <paramref name="data"/> under a corruption, image i
    /// seeded by (<paramref name="seed"/>, i) exactly as <see cref="ShiftStream"/> makes it, so offline
    /// and streamed evaluations see the same pixels. Work is spread over <paramref name="threads"/> threads.
    /// </summary>
    public static byte[] Corrupt(Dataset data, Corruption corruption, int severity, ulong seed, int count, int threads = 1)
    {
        var pixels = new byte[count * Dataset.PixelsPerImage];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
            corruption.Apply(data.Image(i), severity, seed, i).CopyTo(pixels.AsSpan(i * Dataset.PixelsPerImage)));
        return pixels;
    }
}
