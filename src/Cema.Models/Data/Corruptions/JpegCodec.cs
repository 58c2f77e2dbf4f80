namespace Cema.Models.Data;

/// <summary>
/// The lossy half of baseline JPEG for one grayscale 28×28 image: level shift by 128, 8×8 DCT-II,
/// quantisation by the standard luminance table (ITU-T T.81 Annex K.1) scaled to a quality with the
/// IJG (libjpeg) formula, then dequantisation and the inverse DCT. The entropy coding that a real
/// encoder adds is lossless, so skipping it changes nothing. The image is padded to 32×32 by
/// replicating its last row and column, as an encoder does for partial blocks, and cropped back.
/// </summary>
internal static class JpegCodec
{
    private const int Block = 8;
    private const int Padded = 32;

    /// <summary>Annex K.1 luminance table, row-major (not zig-zag).</summary>
    private static readonly int[] LuminanceTable =
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>cos((2x + 1)uπ/16)·C(u)/2 with C(0) = 1/√2: the orthonormal 1-D DCT basis, [u, x].</summary>
    private static readonly double[,] Basis = BuildBasis();

    /// <summary>libjpeg's jpeg_quality_scaling + jpeg_add_quant_table with force_baseline.</summary>
    public static int[] QuantizationTable(int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        var table = new int[64];
        for (int i = 0; i < 64; i++) table[i] = Math.Clamp((LuminanceTable[i] * scale + 50) / 100, 1, 255);
        return table;
    }

    /// <summary>Compresses and decompresses a 28×28 uint8 image at <paramref name="quality"/> (1–100).</summary>
    public static byte[] RoundTrip(ReadOnlySpan<byte> image, int quality)
    {
        const int size = ImageOps.Size;
        int[] table = QuantizationTable(quality);
        var padded = new double[Padded * Padded];
        for (int y = 0; y < Padded; y++)
            for (int x = 0; x < Padded; x++)
                padded[y * Padded + x] = image[Math.Min(y, size - 1) * size + Math.Min(x, size - 1)] - 128.0;

        var block = new double[64];
        var coefficients = new double[64];
        for (int by = 0; by < Padded; by += Block)
            for (int bx = 0; bx < Padded; bx += Block)
            {
                for (int y = 0; y < Block; y++)
                    for (int x = 0; x < Block; x++)
                        block[y * Block + x] = padded[(by + y) * Padded + bx + x];
                Forward(block, coefficients);
                for (int i = 0; i < 64; i++) coefficients[i] = Math.Round(coefficients[i] / table[i], MidpointRounding.AwayFromZero) * table[i];
                Inverse(coefficients, block);
                for (int y = 0; y < Block; y++)
                    for (int x = 0; x < Block; x++)
                        padded[(by + y) * Padded + bx + x] = block[y * Block + x];
            }

        var result = new byte[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                result[y * size + x] = (byte)Math.Clamp(Math.Round(padded[y * Padded + x] + 128, MidpointRounding.AwayFromZero), 0, 255);
        return result;
    }

    /// <summary>2-D DCT as rows then columns: coefficients[v, u] = Σ_y Σ_x B[v, y]·B[u, x]·pixels[y, x].</summary>
    private static void Forward(double[] pixels, double[] coefficients)
    {
        Span<double> rows = stackalloc double[64];
        for (int y = 0; y < Block; y++)
            for (int u = 0; u < Block; u++)
            {
                double sum = 0;
                for (int x = 0; x < Block; x++) sum += Basis[u, x] * pixels[y * Block + x];
                rows[y * Block + u] = sum;
            }
        for (int v = 0; v < Block; v++)
            for (int u = 0; u < Block; u++)
            {
                double sum = 0;
                for (int y = 0; y < Block; y++) sum += Basis[v, y] * rows[y * Block + u];
                coefficients[v * Block + u] = sum;
            }
    }

    /// <summary>The transpose of <see cref="Forward"/>, its inverse because the basis is orthonormal.</summary>
    private static void Inverse(double[] coefficients, double[] pixels)
    {
        Span<double> rows = stackalloc double[64];
        for (int v = 0; v < Block; v++)
            for (int x = 0; x < Block; x++)
            {
                double sum = 0;
                for (int u = 0; u < Block; u++) sum += Basis[u, x] * coefficients[v * Block + u];
                rows[v * Block + x] = sum;
            }
        for (int y = 0; y < Block; y++)
            for (int x = 0; x < Block; x++)
            {
                double sum = 0;
                for (int v = 0; v < Block; v++) sum += Basis[v, y] * rows[v * Block + x];
                pixels[y * Block + x] = sum;
            }
    }

    private static double[,] BuildBasis()
    {
        var basis = new double[Block, Block];
        for (int u = 0; u < Block; u++)
            for (int x = 0; x < Block; x++)
            {
                double c = u == 0 ? Math.Sqrt(0.5) : 1;
                basis[u, x] = c / 2 * PortableMath.Cos((2 * x + 1) * u * Math.PI / 16);
            }
        return basis;
    }
}

/// <summary>
/// JPEG compression at ImageNet-C's qualities. Quality is a property of the codec, not of the
/// image size, so the values are kept; on 28×28 they make the 8×8 blocks plainly visible.
/// </summary>
internal sealed class JpegCompression : Corruption
{
    private static readonly int[] Quality = [25, 18, 15, 10, 7];

    public override string Name => "jpeg_compression";
    public override string Family => "digital";
    public override IReadOnlyList<string> ParameterNames => ["JPEG quality (IJG)", "DC / first AC quantiser step"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        int[] table = JpegCodec.QuantizationTable(Quality[severity - 1]);
        return [Format(Quality[severity - 1]), $"{table[0]} / {table[1]}"];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var bytes = new byte[image.Length];
        for (int i = 0; i < image.Length; i++) bytes[i] = (byte)Math.Round(image[i] * 255f);
        byte[] compressed = JpegCodec.RoundTrip(bytes, Quality[severity - 1]);
        var result = new float[image.Length];
        for (int i = 0; i < result.Length; i++) result[i] = compressed[i] / 255f;
        return result;
    }
}
