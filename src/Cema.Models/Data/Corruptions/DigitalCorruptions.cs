namespace Cema.Models.Data;

/// <summary>
/// ImageNet-C adds c to HSV value. A gray pixel has saturation 0, so its value is its intensity
/// and the HSV round trip is exactly x + c.
/// </summary>
internal sealed class Brightness : Corruption
{
    private static readonly double[] Shift = [0.1, 0.2, 0.3, 0.4, 0.5];

    public override string Name => "brightness";
    public override string Family => "digital";
    public override IReadOnlyList<string> ParameterNames => ["added to intensity"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Shift[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        double shift = Shift[severity - 1];
        for (int i = 0; i < image.Length; i++) image[i] = ImageOps.Clip01(image[i] + shift);
        return image;
    }
}

/// <summary>(x − mean)·c + mean, the image's own mean, as ImageNet-C.</summary>
internal sealed class Contrast : Corruption
{
    private static readonly double[] Factor = [0.4, 0.3, 0.2, 0.1, 0.05];

    public override string Name => "contrast";
    public override string Family => "digital";
    public override IReadOnlyList<string> ParameterNames => ["contrast factor c"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Factor[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        double factor = Factor[severity - 1];
        double mean = 0;
        foreach (float v in image) mean += v;
        mean /= image.Length;
        for (int i = 0; i < image.Length; i++) image[i] = ImageOps.Clip01((image[i] - mean) * factor + mean);
        return image;
    }
}

/// <summary>
/// Downsample to ⌊28·c⌋ pixels a side and back up, both with an area-averaging box filter (PIL's BOX).
/// ImageNet-C's factors (0.6 → 0.25) leave a 28×28 image 16 → 7 pixels wide, which at severity 5
/// destroys most garments; the factors here are the ones that look like ImageNet-C's severities
/// on a 28-pixel object (compare CIFAR-10-C's 0.95 → 0.65 at 32×32).
/// </summary>
internal sealed class Pixelate : Corruption
{
    private static readonly double[] Factor = [0.75, 0.6, 0.5, 0.42, 0.35];

    public override string Name => "pixelate";
    public override string Family => "digital";
    public override IReadOnlyList<string> ParameterNames => ["scale factor c", "intermediate size (px)"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Factor[severity - 1]), $"{SmallSize(severity)}×{SmallSize(severity)}"];

    private static int SmallSize(int severity) => (int)(ImageOps.Size * Factor[severity - 1]);

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        int small = SmallSize(severity);
        float[] down = BoxResize(image, ImageOps.Size, small);
        return BoxResize(down, small, ImageOps.Size);
    }

    /// <summary>Square image of side <paramref name="from"/> to side <paramref name="to"/>: each output pixel is the area-weighted mean of the input it covers.</summary>
    internal static float[] BoxResize(float[] image, int from, int to)
    {
        double[,] weights = BoxWeights(from, to);
        var rows = new double[from * to];
        for (int y = 0; y < from; y++)
            for (int j = 0; j < to; j++)
            {
                double sum = 0;
                for (int i = 0; i < from; i++) sum += weights[j, i] * image[y * from + i];
                rows[y * to + j] = sum;
            }
        var result = new float[to * to];
        for (int j = 0; j < to; j++)
            for (int x = 0; x < to; x++)
            {
                double sum = 0;
                for (int i = 0; i < from; i++) sum += weights[j, i] * rows[i * to + x];
                result[j * to + x] = ImageOps.Clip01(sum);
            }
        return result;
    }

    private static double[,] BoxWeights(int from, int to)
    {
        var weights = new double[to, from];
        double scale = (double)from / to;
        for (int j = 0; j < to; j++)
        {
            double start = j * scale, end = (j + 1) * scale;
            for (int i = 0; i < from; i++)
            {
                double overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                if (overlap > 0) weights[j, i] = overlap / scale;
            }
        }
        return weights;
    }
}

/// <summary>
/// A random affine warp (three control points moved by up to ±a px) followed by an elastic
/// displacement field: uniform noise in [-1, 1] smoothed by a Gaussian of σ px (truncate 3) and
/// scaled by α px (Simard et al. 2003, via ImageNet-C). ImageNet-C's own severities are erratic
/// (1–2 a large affine with a smooth field, 3–5 a small one with per-pixel jitter), and its
/// σ = 0.01·244 px becomes a quarter pixel at 28×28, turning the field into noise. Here all three
/// grow together so the warp is visibly elastic and strictly stronger with severity.
/// </summary>
internal sealed class ElasticTransform : Corruption
{
    private static readonly (double Alpha, double Sigma, double Affine)[] Levels =
        [(2.0, 1.5, 0.6), (3.0, 1.5, 0.9), (4.0, 1.5, 1.2), (5.0, 1.4, 1.5), (6.0, 1.3, 1.8)];

    public override string Name => "elastic_transform";
    public override string Family => "digital";
    public override IReadOnlyList<string> ParameterNames => ["α (px)", "σ (px)", "affine jitter (px)"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.Alpha), Format(l.Sigma), Format(l.Affine)];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var (alpha, sigma, affine) = Levels[severity - 1];
        const int size = ImageOps.Size;
        float[] warped = RandomAffine(image, affine, random);
        var noiseX = new float[image.Length];
        var noiseY = new float[image.Length];
        for (int i = 0; i < image.Length; i++) noiseX[i] = (float)random.NextDouble(-1, 1);
        for (int i = 0; i < image.Length; i++) noiseY[i] = (float)random.NextDouble(-1, 1);
        float[] dx = ImageOps.GaussianBlur(noiseX, sigma, truncate: 3);
        float[] dy = ImageOps.GaussianBlur(noiseY, sigma, truncate: 3);
        var result = new float[image.Length];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int i = y * size + x;
                result[i] = ImageOps.Clip01(ImageOps.Bilinear(warped, y + alpha * dy[i], x + alpha * dx[i]));
            }
        return result;
    }

    /// <summary>
    /// ImageNet-C's control points (centre ± size/3) each moved by U(-a, a); the output samples the
    /// input where the affine map from moved to original points sends it.
    /// </summary>
    private static float[] RandomAffine(float[] image, double jitter, SeededRandom random)
    {
        const int size = ImageOps.Size;
        const double centre = size / 2, offset = size / 3;
        double[] sourceX = [centre + offset, centre + offset, centre - offset];
        double[] sourceY = [centre + offset, centre - offset, centre - offset];
        var movedX = new double[3];
        var movedY = new double[3];
        for (int k = 0; k < 3; k++)
        {
            movedX[k] = sourceX[k] + random.NextDouble(-jitter, jitter);
            movedY[k] = sourceY[k] + random.NextDouble(-jitter, jitter);
        }
        double[] mapX = SolveAffine(movedX, movedY, sourceX);
        double[] mapY = SolveAffine(movedX, movedY, sourceY);
        var result = new float[image.Length];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                result[y * size + x] = ImageOps.Bilinear(image, mapY[0] * x + mapY[1] * y + mapY[2], mapX[0] * x + mapX[1] * y + mapX[2]);
        return result;
    }

    /// <summary>(p, q, r) with p·x[k] + q·y[k] + r = target[k] for the three points, by Cramer's rule.</summary>
    private static double[] SolveAffine(double[] x, double[] y, double[] target)
    {
        double det = x[0] * (y[1] - y[2]) - y[0] * (x[1] - x[2]) + (x[1] * y[2] - x[2] * y[1]);
        double p = target[0] * (y[1] - y[2]) - y[0] * (target[1] - target[2]) + (target[1] * y[2] - target[2] * y[1]);
        double q = x[0] * (target[1] - target[2]) - target[0] * (x[1] - x[2]) + (x[1] * target[2] - x[2] * target[1]);
        double r = x[0] * (y[1] * target[2] - y[2] * target[1]) - y[0] * (x[1] * target[2] - x[2] * target[1]) + target[0] * (x[1] * y[2] - x[2] * y[1]);
        return [p / det, q / det, r / det];
    }
}

/// <summary>
/// Stand-in for ImageNet-C's saturate (validation corruption), which scales HSV saturation and so
/// does nothing to a gray image. Its grayscale counterpart is a levels stretch: intensities below a
/// black point clip to 0, above a white point clip to 1, and a gamma &lt; 1 lifts the mid-tones,
/// so ever more of the garment "saturates" at the extremes as severity grows. It is none of the test
/// corruptions: brightness shifts every pixel (black background included), contrast shrinks toward
/// the mean, while this keeps the background black and widens the range.
/// </summary>
internal sealed class Saturate : Corruption
{
    private static readonly (double Black, double White, double Gamma)[] Levels =
        [(0.05, 0.9, 0.85), (0.1, 0.8, 0.75), (0.15, 0.7, 0.65), (0.2, 0.6, 0.55), (0.25, 0.5, 0.45)];

    public override string Name => "saturate";
    public override string Family => "digital";
    public override bool IsValidation => true;
    public override IReadOnlyList<string> ParameterNames => ["black point", "white point", "γ"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.Black), Format(l.White), Format(l.Gamma)];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var (black, white, gamma) = Levels[severity - 1];
        for (int i = 0; i < image.Length; i++)
        {
            double stretched = ImageOps.Clip01((image[i] - black) / (white - black));
            image[i] = ImageOps.Clip01(PortableMath.Pow(stretched, gamma));
        }
        return image;
    }
}
