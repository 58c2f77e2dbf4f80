using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

/// <summary>The IDX reader on small hand-built files: every check must fail loudly and say where and why.</summary>
public sealed class FashionMnistReaderTests : IDisposable
{
    private readonly IdxFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static DatasetFileException AssertFails(string path, string check, Action load)
    {
        var e = Assert.Throws<DatasetFileException>(load);
        Assert.Equal(check, e.Check);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Contains(check, e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        return e;
    }

    [Fact]
    public void Good_files_load_pixels_labels_and_class_names()
    {
        string images = _files.Images("i.gz", count: 3, payloadImages: 3);
        string labels = _files.Labels("l.gz", [0, 9, 4]);
        Dataset data = FashionMnist.Load(images, labels);
        Assert.Equal(3, data.Count);
        Assert.Equal(IdxFiles.Pixels(3 * 784), data.Pixels);
        Assert.Equal(new byte[] { 0, 9, 4 }, data.Labels);
        Assert.Equal("Ankle boot", data.ClassNames[data.Labels[1]]);
        Assert.Equal(IdxFiles.Pixels(3 * 784).AsSpan(784, 784).ToArray(), data.Image(1).ToArray());
    }

    [Fact]
    public void Wrong_magic_number_is_refused()
    {
        string images = _files.Images("i.gz", 1, 1, magic: 0x801);
        var e = AssertFails(images, "magic number", () => FashionMnist.ReadImages(images));
        Assert.Contains("0x00000801", e.Message);
        string labels = _files.Labels("l.gz", [1], magic: 0x803);
        AssertFails(labels, "magic number", () => FashionMnist.ReadLabels(labels));
    }

    [Fact]
    public void Count_smaller_than_the_payload_is_refused()
    {
        string images = _files.Images("i.gz", count: 2, payloadImages: 3);
        AssertFails(images, "count vs payload", () => FashionMnist.ReadImages(images));
        string labels = _files.Labels("l.gz", [1, 2, 3], count: 2);
        AssertFails(labels, "count vs payload", () => FashionMnist.ReadLabels(labels));
    }

    [Fact]
    public void Truncated_payload_is_refused()
    {
        string images = _files.Write("i.gz", 0x803, [3, 28, 28], IdxFiles.Pixels(2 * 784 + 100));
        var e = AssertFails(images, "truncated payload", () => FashionMnist.ReadImages(images));
        Assert.Contains("3 images", e.Message);
        string labels = _files.Labels("l.gz", [1, 2], count: 5);
        AssertFails(labels, "truncated payload", () => FashionMnist.ReadLabels(labels));
    }

    [Fact]
    public void Truncated_header_is_refused()
    {
        string images = _files.WriteGzip("i.gz", [0, 0, 8, 3, 0, 0]);
        AssertFails(images, "header", () => FashionMnist.ReadImages(images));
    }

    [Fact]
    public void A_cut_gzip_file_is_refused()
    {
        string images = _files.Images("i.gz", count: 50, payloadImages: 50);
        byte[] whole = File.ReadAllBytes(images);
        File.WriteAllBytes(images, whole[..(whole.Length / 2)]);
        var e = Assert.Throws<DatasetFileException>(() => FashionMnist.ReadImages(images));
        Assert.Contains(e.Check, new[] { "gzip stream", "truncated payload" });
        Assert.Contains(images, e.Message);
    }

    [Fact]
    public void A_file_that_is_not_gzip_is_refused()
    {
        string images = _files.Path("i.gz");
        File.WriteAllBytes(images, [0, 0, 8, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
        AssertFails(images, "gzip stream", () => FashionMnist.ReadImages(images));
    }

    [Fact]
    public void Images_that_are_not_28_by_28_are_refused()
    {
        string images = _files.Images("i.gz", count: 1, payloadImages: 1, rows: 32, columns: 32);
        var e = AssertFails(images, "image size", () => FashionMnist.ReadImages(images));
        Assert.Contains("32×32", e.Message);
    }

    [Fact]
    public void Label_out_of_range_is_refused_with_its_index()
    {
        string labels = _files.Labels("l.gz", [3, 10, 2]);
        var e = AssertFails(labels, "label range", () => FashionMnist.ReadLabels(labels));
        Assert.Contains("label 10 at index 1", e.Message);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        string images = _files.Images("i.gz", count: 3, payloadImages: 3);
        string labels = _files.Labels("l.gz", [1, 2]);
        var e = AssertFails(labels, "image/label count", () => FashionMnist.Load(images, labels));
        Assert.Contains(images, e.Message);
    }

    [Fact]
    public void Missing_file_names_the_file_and_the_package()
    {
        string images = _files.Path("train-images-idx3-ubyte.gz");
        var e = AssertFails(images, "file exists", () => FashionMnist.LoadTrainFile(_files.DirectoryPath));
        Assert.Contains(FashionMnist.DefaultDirectory, e.Message);
    }

    [Fact]
    public void Standard_files_must_hold_the_standard_count()
    {
        _files.Images(FashionMnist.TestImagesFile, count: 2, payloadImages: 2);
        _files.Labels(FashionMnist.TestLabelsFile, [1, 2]);
        var e = AssertFails(_files.Path(FashionMnist.TestImagesFile), "count", () => FashionMnist.LoadTest(_files.DirectoryPath));
        Assert.Contains("expected 10000", e.Message);
    }
}
