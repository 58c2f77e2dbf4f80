namespace Cema.Models.Data;

// Blur parameters are lengths in pixels. ImageNet-C's values are for 224×224; divided by 8 for
// 28×28 most of them fall below one pixel and severities 1–3 would be indistinguishable, so the
// values here follow the small-image versions Hendrycks made himself (CIFAR-10-C at 32×32,
// Tiny-ImageNet-C at 64×64) and were checked by eye in the gallery (./cema gallery).

/// <summary>
/// Convolution with a disk (an out-of-focus lens). The disk's edge is anti-aliased by its exact
/// area coverage (16×16 supersampling) instead of ImageNet-C's aliased disk plus a 3×3 Gaussian,
/// so that fractional radii of one or two pixels give distinct kernels.
/// </summary>
internal sealed class DefocusBlur : Corruption
{
    private static readonly double[] Radius = [0.75, 1.0, 1.3, 1.65, 2.0];

    public override string Name => "defocus_blur";
    public override string Family => "blur";
    public override IReadOnlyList<string> ParameterNames => ["disk radius (px)"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Radius[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random) =>
        ImageOps.Filter(image, Disk(Radius[severity - 1]));

    internal static double[,] Disk(double radius)
    {
        const int subsamples = 16;
        int half = (int)Math.Ceiling(radius - 0.5) + 1;
        var kernel = new double[2 * half + 1, 2 * half + 1];
        double sum = 0;
        for (int i = -half; i <= half; i++)
            for (int j = -half; j <= half; j++)
            {
                int inside = 0;
                for (int a = 0; a < subsamples; a++)
                    for (int b = 0; b < subsamples; b++)
                    {
                        double y = i - 0.5 + (a + 0.5) / subsamples, x = j - 0.5 + (b + 0.5) / subsamples;
                        if (y * y + x * x <= radius * radius) inside++;
                    }
                sum += kernel[i + half, j + half] = inside;
            }
        for (int i = 0; i < kernel.GetLength(0); i++)
            for (int j = 0; j < kernel.GetLength(1); j++)
                kernel[i, j] /= sum;
        return kernel;
    }
}

/// <summary>
/// Gaussian blur, then pixels swapped with random neighbours within ±δ (repeated), then blur again:
/// frosted glass. ImageNet-C swaps in place during one raster scan, so a pixel swapped ahead of the
/// scan is picked up and moved again, travelling many pixels in one pass (and, with numpy's
/// randint(-δ, δ) never reaching +δ, always up and left). At 224×224 that carry is a few percent of
/// the image; at 28×28 it scattered the garment over the whole tile. Here a pixel takes part in at
/// most one swap per pass, so it moves at most δ per pass, in any direction, and the image keeps
/// its histogram as ImageNet-C's does. Even one 1-px swap per pixel is eight times ImageNet-C's
/// δ = 1 relative to the image, so the mild severities swap only a share of the pixels.
/// </summary>
internal sealed class GlassBlur : Corruption
{
    private static readonly (double Sigma, int Delta, int Iterations, double SwapShare)[] Levels =
        [(0.4, 1, 1, 0.25), (0.45, 1, 1, 0.5), (0.5, 1, 2, 0.5), (0.55, 1, 2, 1.0), (0.6, 2, 2, 1.0)];

    public override string Name => "glass_blur";
    public override string Family => "blur";
    public override IReadOnlyList<string> ParameterNames => ["blur σ (px)", "max swap distance δ (px)", "iterations", "share of pixels swapped per pass"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.Sigma), Format(l.Delta), Format(l.Iterations), Format(l.SwapShare)];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var (sigma, delta, iterations, swapShare) = Levels[severity - 1];
        const int size = ImageOps.Size;
        float[] x = ImageOps.GaussianBlur(image, sigma);
        var moved = new bool[x.Length];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Array.Clear(moved);
            for (int h = size - 1 - delta; h >= delta; h--)
                for (int w = size - 1 - delta; w >= delta; w--)
                {
                    int dy = random.NextInt(-delta, delta), dx = random.NextInt(-delta, delta);
                    if (random.NextDouble() >= swapShare) continue;
                    int here = h * size + w, there = (h + dy) * size + (w + dx);
                    if (moved[here] || moved[there]) continue;
                    (x[here], x[there]) = (x[there], x[here]);
                    moved[here] = moved[there] = true;
                }
        }
        float[] blurred = ImageOps.GaussianBlur(x, sigma);
        for (int i = 0; i < blurred.Length; i++) blurred[i] = ImageOps.Clip01(blurred[i]);
        return blurred;
    }
}

/// <summary>ImageMagick-style one-sided motion blur at a random angle in [-45°, 45°], as ImageNet-C.</summary>
internal sealed class MotionBlur : Corruption
{
    private static readonly (double Length, double Sigma)[] Levels = [(3, 1.0), (4, 1.5), (5, 2.0), (6, 2.6), (7, 3.2)];

    public override string Name => "motion_blur";
    public override string Family => "blur";
    public override IReadOnlyList<string> ParameterNames => ["kernel length (px)", "σ (px)", "angle (°)"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.Length), Format(l.Sigma), "U(-45, 45)"];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var (length, sigma) = Levels[severity - 1];
        return ImageOps.MotionBlur(image, length, sigma, random.NextDouble(-45, 45));
    }
}

/// <summary>
/// Mean of the image and copies of it zoomed about the centre by each factor (a zooming camera).
/// Zoom factors are ratios, not lengths, so ImageNet-C's are kept exactly.
/// </summary>
internal sealed class ZoomBlur : Corruption
{
    private static readonly (double Stop, double Step)[] Ranges = [(1.11, 0.01), (1.16, 0.01), (1.21, 0.02), (1.26, 0.02), (1.31, 0.03)];

    public override string Name => "zoom_blur";
    public override string Family => "blur";
    public override IReadOnlyList<string> ParameterNames => ["zoom factors (numpy arange(1, stop, step))"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var r = Ranges[severity - 1];
        return [$"arange(1, {Format(r.Stop)}, {Format(r.Step)})"];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        double[] factors = Factors(severity);
        var sum = new double[image.Length];
        for (int i = 0; i < image.Length; i++) sum[i] = image[i];
        foreach (double factor in factors)
        {
            float[] zoomed = ImageOps.ClippedZoom(image, factor);
            for (int i = 0; i < sum.Length; i++) sum[i] += zoomed[i];
        }
        var result = new float[image.Length];
        for (int i = 0; i < result.Length; i++) result[i] = ImageOps.Clip01(sum[i] / (factors.Length + 1));
        return result;
    }

    /// <summary>numpy.arange(1, stop, step): 1, 1 + step, … while below stop.</summary>
    internal static double[] Factors(int severity)
    {
        var (stop, step) = Ranges[severity - 1];
        int count = (int)Math.Ceiling((stop - 1) / step - 1e-9);
        return Enumerable.Range(0, count).Select(i => 1 + i * step).ToArray();
    }
}

/// <summary>Plain Gaussian blur (validation corruption).</summary>
internal sealed class GaussianBlur : Corruption
{
    private static readonly double[] Sigma = [0.5, 0.75, 1.0, 1.25, 1.5];

    public override string Name => "gaussian_blur";
    public override string Family => "blur";
    public override bool IsValidation => true;
    public override IReadOnlyList<string> ParameterNames => ["σ (px)"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Sigma[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        float[] blurred = ImageOps.GaussianBlur(image, Sigma[severity - 1]);
        for (int i = 0; i < blurred.Length; i++) blurred[i] = ImageOps.Clip01(blurred[i]);
        return blurred;
    }
}
