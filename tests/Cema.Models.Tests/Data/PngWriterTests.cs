using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

public class PngWriterTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(BitwiseCrc32(Encoding.ASCII.GetBytes("IEND")), Crc32.Compute(Encoding.ASCII.GetBytes("IEND")));
    }

    [Fact]
    public void Written_png_decodes_back_to_the_pixels()
    {
        const int width = 7, height = 5;
        byte[] pixels = Enumerable.Range(0, width * height).Select(i => (byte)(i * 37 % 256)).ToArray();
        byte[] png = PngWriter.EncodeGrayscale(width, height, pixels);
        var (w, h, decoded) = DecodeGrayscale(png);
        Assert.Equal((width, height), (w, h));
        Assert.Equal(pixels, decoded);
    }

    [Fact]
    public void Gallery_has_19_rows_of_clean_and_five_severities_and_writes_a_valid_png()
    {
        ReadOnlySpan<byte> image = TestData.Test.Image(0);
        string path = Path.Combine(Path.GetTempPath(), $"cema-gallery-{Guid.NewGuid():N}.png");
        try
        {
            Gallery.Sheet sheet = Gallery.Write(path, image, seed: 0, imageIndex: 0);
            Assert.Equal(Corruption.Names, sheet.Rows);
            const int tile = 28 * Gallery.Scale + Gallery.Gap;
            Assert.Equal(Gallery.Gap + 6 * tile, sheet.Width);
            Assert.Equal(Gallery.Gap + 19 * tile, sheet.Height);
            var (w, h, decoded) = DecodeGrayscale(File.ReadAllBytes(path));
            Assert.Equal((sheet.Width, sheet.Height), (w, h));
            Assert.Equal(sheet.Pixels, decoded);
            // Column 0 is the clean image, enlarged by nearest neighbour.
            for (int y = 0; y < 28; y++)
                for (int x = 0; x < 28; x++)
                    Assert.Equal(image[y * 28 + x], decoded[(Gallery.Gap + y * 3 + 1) * w + Gallery.Gap + x * 3 + 2]);
            // Row 11 (brightness), column 6 (severity 5) shows the corrupted image.
            byte[] bright = Corruption.Get("brightness").Apply(image, 5, 0, 0);
            Assert.Equal(bright[0], decoded[(Gallery.Gap + 10 * tile) * w + Gallery.Gap + 5 * tile]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// An independent minimal PNG reader: signature, chunk CRCs (bitwise, not the writer's table),
    /// IHDR for 8-bit grayscale, IDAT inflated with ZLibStream, row filters must be type 0.
    /// </summary>
    private static (int Width, int Height, byte[] Pixels) DecodeGrayscale(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int width = 0, height = 0, position = 8;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (position < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            string type = Encoding.ASCII.GetString(png, position + 4, 4);
            ReadOnlySpan<byte> typeAndData = png.AsSpan(position + 4, 4 + length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            Assert.True(crc == BitwiseCrc32(typeAndData), $"bad CRC on chunk {type}");
            ReadOnlySpan<byte> data = typeAndData[4..];
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(new byte[] { 8, 0, 0, 0, 0 }, data[8..13].ToArray());
            }
            if (type == "IDAT") idat.Write(data);
            position += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], types);
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] rows = raw.ToArray();
        Assert.Equal(height * (width + 1), rows.Length);
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * (width + 1)]);
            rows.AsSpan(y * (width + 1) + 1, width).CopyTo(pixels.AsSpan(y * width));
        }
        return (width, height, pixels);
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
