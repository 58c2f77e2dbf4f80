using Cema.Models.Data;

namespace Cema.Models.Training;

/// <summary>
/// AugMix (Hendrycks et al., ICLR 2020; the authors' augmix.py and augmentations.py), on 28×28
/// uint8 images. <see cref="Width"/> chains of 1–<see cref="MaxDepth"/> random operations each are
/// mixed with Dirichlet(1) weights, and the mix is blended with the input by m ~ Beta(1, 1):
/// <c>(1 − m)·x + m·Σ wᵢ·chainᵢ(x)</c>.
///
/// The operations are AugMix's own list without its colour/contrast/brightness/sharpness ones:
/// autocontrast, equalize, posterize, rotate, solarize, shear_x/y, translate_x/y. None of them is
/// one of the 19 corruptions (no noise, blur, brightness, contrast, pixelation, JPEG, elastic,
/// weather), so training never sees a test corruption. Departures from the reference code, each
/// because the images are 28×28 grayscale: shear and rotation are about the image centre (PIL's
/// shear is about the top-left corner, which on 28 pixels mostly shifts the object out of view),
/// and translation is at most 28/3 pixels × level/10 as the reference scales it by image size.
/// </summary>
public static class AugMix
{
    public const int Width = 3;
    public const int MaxDepth = 3;

    /// <summary>AugMix's default "aug_severity": each operation's level is uniform in [0.1, 3] out of 10.</summary>
    public const double Severity = 3;

    private const int Size = Dataset.Width;
    private const int Pixels = Dataset.PixelsPerImage;

    /// <summary>An operation on a uint8 image at a level in [0.1, <see cref="Severity"/>].</summary>
    public delegate byte[] Operation(byte[] image, double level, SeededRandom random);

    /// <summary>The operations by name, in the reference's order.</summary>
    public static readonly IReadOnlyList<(string name, Operation op)> Operations =
    [
        ("autocontrast", (x, _, _) => AutoContrast(x)),
        ("equalize", (x, _, _) => Equalize(x)),
        ("posterize", (x, level, _) => Posterize(x, 4 - IntParameter(level, 4))),
        ("rotate", (x, level, r) => Rotate(x, RandomSign(IntParameter(level, 30), r))),
        ("solarize", (x, level, _) => Solarize(x, 256 - IntParameter(level, 256))),
        ("shear_x", (x, level, r) => Affine(x, 1, RandomSign(FloatParameter(level, 0.3), r), 0, 0, 1, 0)),
        ("shear_y", (x, level, r) => Affine(x, 1, 0, 0, RandomSign(FloatParameter(level, 0.3), r), 1, 0)),
        ("translate_x", (x, level, r) => Affine(x, 1, 0, RandomSign(IntParameter(level, Size / 3.0), r), 0, 1, 0)),
        ("translate_y", (x, level, r) => Affine(x, 1, 0, 0, 0, 1, RandomSign(IntParameter(level, Size / 3.0), r))),
    ];

    /// <summary>Writes the AugMix of <paramref name="image"/> to <paramref name="result"/> as floats in [0, 1].</summary>
    public static void Mix(byte[] image, SeededRandom random, Span<float> result)
    {
        if (image.Length != Pixels || result.Length != Pixels) throw new ArgumentException($"images are {Pixels} pixels");
        // Dirichlet(1, …, 1) = normalized Exp(1) draws; Beta(1, 1) = uniform.
        Span<double> weights = stackalloc double[Width];
        double total = 0;
        for (int i = 0; i < Width; i++) total += weights[i] = -Math.Log(1 - random.NextDouble());
        for (int i = 0; i < Width; i++) weights[i] /= total;
        double m = random.NextDouble();

        Span<double> mix = stackalloc double[Pixels];
        mix.Clear();
        for (int chain = 0; chain < Width; chain++)
        {
            byte[] x = image;
            int depth = random.NextInt(1, MaxDepth);
            for (int d = 0; d < depth; d++)
            {
                var (_, op) = Operations[random.NextInt(Operations.Count)];
                x = op(x, random.NextDouble(0.1, Severity), random);
            }
            for (int p = 0; p < Pixels; p++) mix[p] += weights[chain] * x[p];
        }
        for (int p = 0; p < Pixels; p++) result[p] = (float)(((1 - m) * image[p] + m * mix[p]) / 255.0);
    }

    /// <summary>The reference's int_parameter: level/10 of <paramref name="max"/>, truncated.</summary>
    public static int IntParameter(double level, double max) => (int)(level * max / 10);

    public static double FloatParameter(double level, double max) => level * max / 10;

    private static double RandomSign(double value, SeededRandom random) => random.NextDouble() < 0.5 ? -value : value;

    /// <summary>PIL's ImageOps.autocontrast (cutoff 0): stretch [min, max] to [0, 255].</summary>
    public static byte[] AutoContrast(byte[] image)
    {
        int lo = 255, hi = 0;
        foreach (byte v in image)
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        if (hi <= lo) return (byte[])image.Clone();
        double scale = 255.0 / (hi - lo), offset = -lo * scale;
        var result = new byte[Pixels];
        for (int i = 0; i < Pixels; i++) result[i] = ClipByte((int)(image[i] * scale + offset));
        return result;
    }

    /// <summary>PIL's ImageOps.equalize: a lookup table that flattens the histogram.</summary>
    public static byte[] Equalize(byte[] image)
    {
        var histogram = new int[256];
        foreach (byte v in image) histogram[v]++;
        int last = 255;
        while (histogram[last] == 0) last--;
        int step = (Pixels - histogram[last]) / 255;
        if (step == 0) return (byte[])image.Clone();
        var lut = new byte[256];
        int n = step / 2;
        for (int i = 0; i < 256; i++)
        {
            lut[i] = (byte)Math.Min(255, n / step);
            n += histogram[i];
        }
        var result = new byte[Pixels];
        for (int i = 0; i < Pixels; i++) result[i] = lut[image[i]];
        return result;
    }

    /// <summary>Keeps the top <paramref name="bits"/> bits of each pixel (1–8).</summary>
    public static byte[] Posterize(byte[] image, int bits)
    {
        bits = Math.Clamp(bits, 1, 8);
        byte mask = (byte)(0xFF << (8 - bits));
        var result = new byte[Pixels];
        for (int i = 0; i < Pixels; i++) result[i] = (byte)(image[i] & mask);
        return result;
    }

    /// <summary>Inverts every pixel at or above <paramref name="threshold"/>.</summary>
    public static byte[] Solarize(byte[] image, int threshold)
    {
        var result = new byte[Pixels];
        for (int i = 0; i < Pixels; i++) result[i] = image[i] >= threshold ? (byte)(255 - image[i]) : image[i];
        return result;
    }

    /// <summary>Rotates counter-clockwise by <paramref name="degrees"/> about the centre, bilinear, black outside.</summary>
    public static byte[] Rotate(byte[] image, double degrees)
    {
        double radians = degrees * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        // Output (x, y) samples the input at the inverse rotation (y grows downwards).
        return Affine(image, cos, -sin, 0, sin, cos, 0);
    }

    /// <summary>
    /// Output pixel (x, y), taken relative to the centre, samples the input at
    /// (a·x + b·y + c, d·x + e·y + f) bilinearly; outside the image is black, as PIL's fill.
    /// </summary>
    public static byte[] Affine(byte[] image, double a, double b, double c, double d, double e, double f)
    {
        const double centre = (Size - 1) / 2.0;
        var result = new byte[Pixels];
        for (int y = 0; y < Size; y++)
        {
            double ry = y - centre;
            for (int x = 0; x < Size; x++)
            {
                double rx = x - centre;
                double sx = a * rx + b * ry + c + centre, sy = d * rx + e * ry + f + centre;
                result[y * Size + x] = ClipByte((int)Math.Round(Bilinear(image, sy, sx)));
            }
        }
        return result;
    }

    private static double Bilinear(byte[] image, double y, double x)
    {
        double fy = Math.Floor(y), fx = Math.Floor(x);
        int y0 = (int)fy, x0 = (int)fx;
        double wy = y - fy, wx = x - fx;
        double top = At(image, y0, x0) * (1 - wx) + At(image, y0, x0 + 1) * wx;
        double bottom = At(image, y0 + 1, x0) * (1 - wx) + At(image, y0 + 1, x0 + 1) * wx;
        return top * (1 - wy) + bottom * wy;
    }

    private static double At(byte[] image, int y, int x) => (uint)y < Size && (uint)x < Size ? image[y * Size + x] : 0;

    private static byte ClipByte(int v) => v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
}
