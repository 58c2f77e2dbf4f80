using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

public class JpegCodecTests
{
    [Fact]
    public void Quantization_table_follows_the_IJG_scaling()
    {
        Assert.Equal(16, JpegCodec.QuantizationTable(50)[0]);
        Assert.Equal(99, JpegCodec.QuantizationTable(50)[63]);
        Assert.All(JpegCodec.QuantizationTable(100), q => Assert.Equal(1, q));
        Assert.Equal(32, JpegCodec.QuantizationTable(25)[0]);   // scale 5000/25 = 200%
        Assert.Equal(114, JpegCodec.QuantizationTable(7)[0]);   // 16 × 714% (5000/7, integer) → 114
        Assert.Equal(255, JpegCodec.QuantizationTable(7)[63]);  // clamped to baseline's 8 bits
    }

    [Fact]
    public void Quality_100_is_nearly_the_identity()
    {
        foreach (int index in TestData.SpreadIndices(20))
        {
            ReadOnlySpan<byte> image = TestData.Test.Image(index);
            byte[] result = JpegCodec.RoundTrip(image, 100);
            int max = 0;
            for (int i = 0; i < 784; i++) max = Math.Max(max, Math.Abs(result[i] - image[i]));
            Assert.True(max <= 2, $"image {index}: quality 100 moved a pixel by {max}");
        }
    }

    [Fact]
    public void Lower_quality_distorts_more()
    {
        int[] qualities = [100, 75, 50, 25, 10, 5];
        var distortion = new double[qualities.Length];
        foreach (int index in TestData.SpreadIndices(30))
        {
            ReadOnlySpan<byte> image = TestData.Test.Image(index);
            for (int q = 0; q < qualities.Length; q++)
            {
                byte[] result = JpegCodec.RoundTrip(image, qualities[q]);
                for (int i = 0; i < 784; i++) distortion[q] += Math.Abs(result[i] - image[i]);
            }
        }
        for (int q = 1; q < qualities.Length; q++)
            Assert.True(distortion[q] > distortion[q - 1], $"quality {qualities[q]} is not worse than {qualities[q - 1]}");
    }

    [Fact]
    public void Constant_blocks_survive_as_constant_blocks()
    {
        // 8×8 blocks aligned with JPEG's grid, each of one value; the last row and column of blocks are
        // 4 pixels wide and padded by replication, so they are constant too.
        var image = new byte[784];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                image[y * 28 + x] = (byte)(40 + 50 * (y / 8) + 13 * (x / 8));
        Assert.Equal(image, JpegCodec.RoundTrip(image, 100));

        foreach (int quality in new[] { 75, 25, 7 })
        {
            byte[] result = JpegCodec.RoundTrip(image, quality);
            int dcStep = JpegCodec.QuantizationTable(quality)[0];
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++)
                {
                    int cornerOfBlock = y / 8 * 8 * 28 + x / 8 * 8;
                    Assert.Equal(result[cornerOfBlock], result[y * 28 + x]);
                    // Only the DC term is quantised: the block mean moves by at most half a DC step (DC = 8 × mean).
                    Assert.True(Math.Abs(result[y * 28 + x] - image[y * 28 + x]) <= dcStep / 16.0 + 0.5);
                }
        }
        // A block whose DC is a multiple of every step (mean 128, DC 0) survives exactly at any quality.
        byte[] mid = Enumerable.Repeat((byte)128, 784).ToArray();
        Assert.Equal(mid, JpegCodec.RoundTrip(mid, 7));
    }

    [Fact]
    public void Jpeg_compression_corruption_is_the_codec_at_ImageNet_C_qualities()
    {
        ReadOnlySpan<byte> image = TestData.Test.Image(3);
        int[] qualities = [25, 18, 15, 10, 7];
        for (int severity = 1; severity <= 5; severity++)
            Assert.Equal(JpegCodec.RoundTrip(image, qualities[severity - 1]), Corruption.Get("jpeg_compression").Apply(image, severity, 0, 3));
    }
}
