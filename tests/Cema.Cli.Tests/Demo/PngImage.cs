using System.Buffers.Binary;
using System.IO.Compression;

namespace Cema.Cli.Tests.Demo;

/// <summary>
/// A decoded 8-bit PNG (grey, RGB, grey+alpha or RGBA, not interlaced: what Chromium's screenshots are), as
/// RGBA pixels: enough to tell a rendered page from a blank one without an imaging package.
/// </summary>
internal sealed class PngImage
{
    private PngImage(int width, int height, byte[] rgba)
    {
        Width = width;
        Height = height;
        Rgba = rgba;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Rgba { get; }

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        int i = 4 * (y * Width + x);
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2]);
    }

    public static PngImage Decode(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException("not a PNG file");
        int width = 0, height = 0, colorType = -1, offset = 8;
        using var idat = new MemoryStream();
        while (offset + 8 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8) throw new InvalidDataException($"bit depth {data[8]} is not supported");
                colorType = data[9];
                if (data[12] != 0) throw new InvalidDataException("interlaced PNGs are not supported");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            offset += 12 + length;
        }
        int channels = colorType switch
        {
            0 => 1,
            2 => 3,
            4 => 2,
            6 => 4,
            _ => throw new InvalidDataException($"PNG colour type {colorType} is not supported"),
        };
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        int stride = width * channels;
        var previous = new byte[stride];
        var current = new byte[stride];
        var rgba = new byte[4 * width * height];
        for (int y = 0; y < height; y++)
        {
            int row = y * (stride + 1);
            byte filter = raw[row];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= channels ? current[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                int value = raw[row + 1 + x];
                current[x] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + a,
                    2 => value + b,
                    3 => value + (a + b) / 2,
                    4 => value + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"unknown PNG filter {filter} on row {y}"),
                });
            }
            for (int x = 0; x < width; x++)
            {
                int o = 4 * (y * width + x), p = x * channels;
                (rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]) = channels switch
                {
                    1 => (current[p], current[p], current[p], (byte)255),
                    2 => (current[p], current[p], current[p], current[p + 1]),
                    3 => (current[p], current[p + 1], current[p + 2], (byte)255),
                    _ => (current[p], current[p + 1], current[p + 2], current[p + 3]),
                };
            }
            (previous, current) = (current, previous);
        }
        return new PngImage(width, height, rgba);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
