namespace Cema.Cli.Tests;

/// <summary><c>cema gallery</c> run as a user would.</summary>
public class GalleryCommandTests
{
    [Fact]
    public void Gallery_writes_a_png_and_prints_seed_and_rows()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cema-gallery-{Guid.NewGuid():N}.png");
        try
        {
            var (code, stdout, stderr) = CliTests.RunCema("gallery", "--out", path, "--image", "1", "--seed", "3");
            Assert.True(code == 0, stderr);
            Assert.Contains("seed     3", stdout);
            Assert.Contains("image    1 (Pullover)", stdout);
            Assert.Contains("row  1   gaussian_noise (test)", stdout);
            Assert.Contains("row 19   saturate (validation)", stdout);
            byte[] png = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Gallery_refuses_a_missing_data_directory_and_an_image_outside_the_test_set()
    {
        var (code, _, stderr) = CliTests.RunCema("gallery", "--data", "/nonexistent/fashion", "--out", "/dev/null");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/fashion/t10k-images-idx3-ubyte.gz", stderr);
        Assert.Contains("apt-get install dataset-fashion-mnist", stderr);

        (code, _, stderr) = CliTests.RunCema("gallery", "--image", "10000", "--out", "/dev/null");
        Assert.Equal(1, code);
        Assert.Contains("--image 10000", stderr);
    }
}
