namespace Cema.Models.Data;

/// <summary>
/// The few image operations the corruptions share, on 28×28 float planes in [0, 1] stored
/// row-major. Borders replicate the edge pixel everywhere: Fashion-MNIST's borders are black
/// background, so the choice of mode (OpenCV reflect-101, SciPy reflect, nearest) that ImageNet-C
/// mixes does not change what a 28×28 image looks like, and one rule is easier to reason about.
/// </summary>
internal static class ImageOps
{
    public const int Size = Dataset.Width;
    public const int Pixels = Size * Size;

    public static float[] ToUnit(ReadOnlySpan<byte> image)
    {
        var x = new float[Pixels];
        for (int i = 0; i < Pixels; i++) x[i] = image[i] / 255f;
        return x;
    }

    /// <summary>Clip to [0, 1] and round to the nearest uint8 (ImageNet-C truncates; rounding is unbiased).</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> image)
    {
        var bytes = new byte[Pixels];
        for (int i = 0; i < Pixels; i++)
        {
            float v = image[i];
            bytes[i] = v >= 1f ? (byte)255 : v > 0f ? (byte)(v * 255f + 0.5f) : (byte)0;
        }
        return bytes;
    }

    public static float Clip01(double v) => v < 0 ? 0f : v > 1 ? 1f : (float)v;

    public static float At(float[] image, int y, int x)
    {
        y = y < 0 ? 0 : y >= Size ? Size - 1 : y;
        x = x < 0 ? 0 : x >= Size ? Size - 1 : x;
        return image[y * Size + x];
    }

    /// <summary>Bilinear sample at a real-valued position (pixel centres at integers).</summary>
    public static float Bilinear(float[] image, double y, double x)
    {
        double fy = Math.Floor(y), fx = Math.Floor(x);
        int y0 = (int)fy, x0 = (int)fx;
        double wy = y - fy, wx = x - fx;
        double top = At(image, y0, x0) * (1 - wx) + At(image, y0, x0 + 1) * wx;
        double bottom = At(image, y0 + 1, x0) * (1 - wx) + At(image, y0 + 1, x0 + 1) * wx;
        return (float)(top * (1 - wy) + bottom * wy);
    }

    /// <summary>Normalized 1-D Gaussian taps exp(-i²/2σ²) for |i| ≤ ceil(truncate·σ).</summary>
    public static double[] GaussianKernel(double sigma, double truncate)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(truncate * sigma));
        var taps = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += taps[i + radius] = PortableMath.Exp(-(double)i * i / (2 * sigma * sigma));
        for (int i = 0; i < taps.Length; i++) taps[i] /= sum;
        return taps;
    }

    /// <summary>Separable Gaussian blur, as skimage.filters.gaussian (truncate 4 by default). σ ≤ 0 copies.</summary>
    public static float[] GaussianBlur(float[] image, double sigma, double truncate = 4.0)
    {
        if (sigma <= 0) return (float[])image.Clone();
        double[] taps = GaussianKernel(sigma, truncate);
        int radius = taps.Length / 2;
        var rows = new float[Pixels];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) sum += taps[k + radius] * At(image, y, x + k);
                rows[y * Size + x] = (float)sum;
            }
        var result = new float[Pixels];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) sum += taps[k + radius] * At(rows, y + k, x);
                result[y * Size + x] = (float)sum;
            }
        return result;
    }

    /// <summary>2-D correlation with a square kernel centred on each pixel (cv2.filter2D's convention).</summary>
    public static float[] Filter(float[] image, double[,] kernel)
    {
        int radius = kernel.GetLength(0) / 2;
        var result = new float[Pixels];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double sum = 0;
                for (int dy = -radius; dy <= radius; dy++)
                    for (int dx = -radius; dx <= radius; dx++)
                        sum += kernel[dy + radius, dx + radius] * At(image, y + dy, x + dx);
                result[y * Size + x] = (float)sum;
            }
        return result;
    }

    /// <summary>
    /// ImageMagick's MotionBlurImage: a one-sided Gaussian exp(-i²/2σ²), i = 0…length, laid along
    /// <paramref name="angleDegrees"/>, so content smears to one side like a moving camera. Taps are
    /// sampled bilinearly (ImageMagick rounds to whole pixels) so that sub-pixel lengths still differ
    /// at 28×28.
    /// </summary>
    public static float[] MotionBlur(float[] image, double length, double sigma, double angleDegrees)
    {
        int taps = Math.Max(1, (int)Math.Ceiling(length)) + 1;
        var weights = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) sum += weights[i] = PortableMath.Exp(-(double)i * i / (2 * sigma * sigma));
        (double sin, double cos) = PortableMath.SinCos(angleDegrees * Math.PI / 180);
        var result = new float[Pixels];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double acc = 0;
                for (int i = 0; i < taps; i++) acc += weights[i] * Bilinear(image, y + i * sin, x + i * cos);
                result[y * Size + x] = (float)(acc / sum);
            }
        return result;
    }

    /// <summary>
    /// Zoom in by <paramref name="factor"/> about the image centre, keeping 28×28 (ImageNet-C's
    /// clipped_zoom: crop the centre, enlarge bilinearly, trim).
    /// </summary>
    public static float[] ClippedZoom(float[] image, double factor)
    {
        const double centre = (Size - 1) / 2.0;
        var result = new float[Pixels];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                result[y * Size + x] = Bilinear(image, centre + (y - centre) / factor, centre + (x - centre) / factor);
        return result;
    }

    public static float[] Rotate180(float[] image)
    {
        var result = new float[Pixels];
        for (int i = 0; i < Pixels; i++) result[i] = image[Pixels - 1 - i];
        return result;
    }

    /// <summary>
    /// ImageNet-C's plasma_fractal (diamond-square with wrap-around, amplitude divided by
    /// <paramref name="decay"/> per octave), normalized to [0, 1]. <paramref name="mapSize"/> is a power of two.
    /// </summary>
    public static double[,] PlasmaFractal(int mapSize, double decay, SeededRandom random)
    {
        if (mapSize < 2 || (mapSize & (mapSize - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(mapSize), mapSize, "must be a power of two");
        var map = new double[mapSize, mapSize];
        double wibble = 100;
        for (int step = mapSize; step >= 2; step /= 2, wibble /= decay)
        {
            int half = step / 2, n = mapSize / step;
            double Noise() => wibble * random.NextDouble(-wibble, wibble);
            // Squares: each centre is the mean of its four corners plus noise.
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    int y0 = i * step, x0 = j * step, y1 = (i + 1) % n * step, x1 = (j + 1) % n * step;
                    map[y0 + half, x0 + half] = (map[y0, x0] + map[y1, x0] + map[y0, x1] + map[y1, x1]) / 4 + Noise();
                }
            // Diamonds: each edge midpoint is the mean of the two centres and two corners around it.
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    int y = i * step, x = j * step + half;
                    double centres = map[y + half, x] + map[(y - half + mapSize) % mapSize, x];
                    double corners = map[y, x - half] + map[y, (x + half) % mapSize];
                    map[y, x] = (centres + corners) / 4 + Noise();
                }
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    int y = i * step + half, x = j * step;
                    double centres = map[y, x + half] + map[y, (x - half + mapSize) % mapSize];
                    double corners = map[y - half, x] + map[(y + half) % mapSize, x];
                    map[y, x] = (centres + corners) / 4 + Noise();
                }
        }
        double min = double.MaxValue, max = double.MinValue;
        foreach (double v in map)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        for (int y = 0; y < mapSize; y++)
            for (int x = 0; x < mapSize; x++)
                map[y, x] = (map[y, x] - min) / (max - min);
        return map;
    }
}
