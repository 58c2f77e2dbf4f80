using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Cema.Models.Data;

/// <summary>
/// Writes 8-bit grayscale PNGs (signature, IHDR, one IDAT, IEND; each chunk CRC-32'd), enough to
/// look at images without an imaging package. Rows use filter type 0 (none): the files are small
/// and simplicity beats a few percent of size.
/// </summary>
public static class PngWriter
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void WriteGrayscale(string path, int width, int height, ReadOnlySpan<byte> pixels)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllBytes(path, EncodeGrayscale(width, height, pixels));
    }

    /// <summary>A PNG file's bytes for <paramref name="pixels"/>: width×height row-major, one byte each.</summary>
    public static byte[] EncodeGrayscale(int width, int height, ReadOnlySpan<byte> pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"size {width}×{height} must be positive");
        if (pixels.Length != (long)width * height) throw new ArgumentException($"{width}×{height} needs {width * height} pixels, got {pixels.Length}", nameof(pixels));

        using var file = new MemoryStream();
        file.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 0;  // colour type: grayscale
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive (each row says its filter)
        header[12] = 0; // no interlace
        WriteChunk(file, "IHDR", header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter type 0: none
                    zlib.Write(pixels.Slice(y * width, width));
                }
            }
            WriteChunk(file, "IDAT", compressed.ToArray());
        }
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32.Update(Crc32.Update(Crc32.Initial, typeBytes), data) ^ Crc32.Initial;
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }
}
