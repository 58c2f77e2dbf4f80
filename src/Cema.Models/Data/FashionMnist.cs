using System.Buffers.Binary;
using System.IO.Compression;

namespace Cema.Models.Data;

/// <summary>
/// Reads Fashion-MNIST (Xiao et al. 2017) from its gzip'd IDX files. Every check that fails throws a
/// <see cref="DatasetFileException"/> naming the file and the check: a half-downloaded or swapped file
/// must stop a run at load time, not show up later as a mysteriously bad accuracy.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the four files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public const string TrainImagesFile = "train-images-idx3-ubyte.gz";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte.gz";
    public const string TestImagesFile = "t10k-images-idx3-ubyte.gz";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte.gz";

    public const int TrainFileCount = 60_000;
    public const int TestFileCount = 10_000;
    public const int ClassCount = 10;

    /// <summary>IDX magic: two zero bytes, type 0x08 (unsigned byte), then the number of dimensions.</summary>
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>Label index → name, in the order of the dataset's README.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>The 60,000-image training file.</summary>
    public static Dataset LoadTrainFile(string directory = DefaultDirectory) =>
        Load(Path.Combine(directory, TrainImagesFile), Path.Combine(directory, TrainLabelsFile), TrainFileCount);

    /// <summary>The 10,000-image test file.</summary>
    public static Dataset LoadTest(string directory = DefaultDirectory) =>
        Load(Path.Combine(directory, TestImagesFile), Path.Combine(directory, TestLabelsFile), TestFileCount);

    /// <summary>Train (first 55,000 of the training file), validation (its last 5,000) and test.</summary>
    public static FashionMnistSplits LoadSplits(string directory = DefaultDirectory) =>
        FashionMnistSplits.From(LoadTrainFile(directory), LoadTest(directory));

    /// <summary>
    /// An images file and its labels file of any length; with <paramref name="expectedCount"/> the
    /// count must also be exactly that.
    /// </summary>
    public static Dataset Load(string imagesPath, string labelsPath, int? expectedCount = null)
    {
        byte[] pixels = ReadImages(imagesPath);
        byte[] labels = ReadLabels(labelsPath);
        int imageCount = pixels.Length / Dataset.PixelsPerImage;
        if (imageCount != labels.Length)
            throw new DatasetFileException(labelsPath, "image/label count",
                $"it holds {labels.Length} labels but {imagesPath} holds {imageCount} images");
        if (expectedCount is int expected && imageCount != expected)
            throw new DatasetFileException(imagesPath, "count", $"it holds {imageCount} images, expected {expected}");
        return new Dataset(pixels, labels, ClassNames);
    }

    /// <summary>The pixels of an IDX3 images file: count×28×28 bytes.</summary>
    public static byte[] ReadImages(string path)
    {
        const int headerLength = 16;
        byte[] content = Decompress(path);
        if (content.Length < headerLength)
            throw new DatasetFileException(path, "header", $"the file holds {content.Length} bytes, an IDX3 header needs {headerLength}");
        CheckMagic(path, content, ImagesMagic);
        int count = ReadCount(path, content);
        int rows = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(12));
        if (rows != Dataset.Height || columns != Dataset.Width)
            throw new DatasetFileException(path, "image size", $"images are {rows}×{columns}, expected {Dataset.Height}×{Dataset.Width}");
        CheckPayload(path, content.Length - headerLength, count, Dataset.PixelsPerImage, "images");
        return content.AsSpan(headerLength).ToArray();
    }

    /// <summary>The labels of an IDX1 labels file, each checked to be a class index 0–9.</summary>
    public static byte[] ReadLabels(string path)
    {
        const int headerLength = 8;
        byte[] content = Decompress(path);
        if (content.Length < headerLength)
            throw new DatasetFileException(path, "header", $"the file holds {content.Length} bytes, an IDX1 header needs {headerLength}");
        CheckMagic(path, content, LabelsMagic);
        int count = ReadCount(path, content);
        CheckPayload(path, content.Length - headerLength, count, 1, "labels");
        byte[] labels = content.AsSpan(headerLength).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= ClassCount)
                throw new DatasetFileException(path, "label range", $"label {labels[i]} at index {i} is not a class index 0–{ClassCount - 1}");
        }
        return labels;
    }

    private static byte[] Decompress(string path)
    {
        if (!File.Exists(path))
            throw new DatasetFileException(path, "file exists", "there is no such file");
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var content = new MemoryStream();
            gzip.CopyTo(content);
            return content.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFileException(path, "gzip stream", $"it is not a complete gzip stream ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new DatasetFileException(path, "gzip stream", $"the gzip stream ends early ({e.Message})", e);
        }
    }

    private static void CheckMagic(string path, byte[] content, int expected)
    {
        int magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (magic != expected)
            throw new DatasetFileException(path, "magic number", $"found 0x{magic:X8}, expected 0x{expected:X8}");
    }

    private static int ReadCount(string path, byte[] content)
    {
        int count = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4));
        if (count < 0) throw new DatasetFileException(path, "count", $"the header's count {count} is negative");
        return count;
    }

    private static void CheckPayload(string path, long payloadBytes, int count, int bytesPerItem, string items)
    {
        long expected = (long)count * bytesPerItem;
        if (payloadBytes < expected)
            throw new DatasetFileException(path, "truncated payload",
                $"the header promises {count} {items} ({expected} bytes) but only {payloadBytes} bytes follow it");
        if (payloadBytes > expected)
            throw new DatasetFileException(path, "count vs payload",
                $"the header says {count} {items} ({expected} bytes) but {payloadBytes} bytes follow it");
    }
}
