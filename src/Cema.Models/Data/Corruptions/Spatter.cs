namespace Cema.Models.Data;

/// <summary>
/// ImageNet-C's spatter (validation corruption): a smoothed, thresholded Gaussian noise layer makes
/// blobs; at severities 1–3 they are water drops that brighten what is behind them, most at their
/// centres, and at 4–5 mud that covers it. ImageNet-C shades water with Canny edges, a distance
/// transform, histogram equalisation and an emboss; at 28×28 a drop is a few pixels, so this keeps
/// only the part that shows: brightness growing with distance from the drop's edge (a chamfer
/// distance, capped at 2 px). Colours become their luma (ITU-R BT.601, as OpenCV's
/// gray conversion): pale turquoise water (175, 238, 238) → 0.86, mud brown (63, 42, 20) → 0.18.
/// </summary>
internal sealed class Spatter : Corruption
{
    private const double WaterLuma = (0.299 * 175 + 0.587 * 238 + 0.114 * 238) / 255;
    private const double MudLuma = (0.299 * 63 + 0.587 * 42 + 0.114 * 20) / 255;
    private const double DistanceCap = 2;

    private static readonly (double Mean, double Spread, double Sigma, double Threshold, double Strength, bool Mud)[] Levels =
    [
        (0.62, 0.1, 0.7, 0.7, 0.6, false),
        (0.65, 0.1, 0.8, 0.7, 0.6, false),
        (0.65, 0.2, 1.0, 0.7, 0.5, false),
        (0.65, 0.1, 0.7, 0.68, 0.4, true),
        (0.65, 0.1, 0.5, 0.67, 0.4, true),
    ];

    public override string Name => "spatter";
    public override string Family => "weather";
    public override bool IsValidation => true;
    public override IReadOnlyList<string> ParameterNames =>
        ["noise mean", "noise σ", "smoothing σ (px)", "blob threshold", "water strength / mud mask σ (px)", "kind"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.Mean), Format(l.Spread), Format(l.Sigma), Format(l.Threshold), Format(l.Strength), l.Mud ? "mud" : "water"];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var l = Levels[severity - 1];
        var liquid = new float[image.Length];
        for (int i = 0; i < liquid.Length; i++) liquid[i] = (float)random.NextGaussian(l.Mean, l.Spread);
        liquid = ImageOps.GaussianBlur(liquid, l.Sigma);
        for (int i = 0; i < liquid.Length; i++) if (liquid[i] < l.Threshold) liquid[i] = 0;
        return l.Mud ? Mud(image, liquid, l.Threshold, l.Strength) : Water(image, liquid, l.Strength);
    }

    private static float[] Water(float[] image, float[] liquid, double strength)
    {
        float[] depth = DistanceInside(liquid);
        var shade = new double[image.Length];
        double max = 0;
        for (int i = 0; i < shade.Length; i++) max = Math.Max(max, shade[i] = liquid[i] * depth[i]);
        if (max == 0) return image;
        for (int i = 0; i < image.Length; i++) image[i] = ImageOps.Clip01(image[i] + shade[i] / max * strength * WaterLuma);
        return image;
    }

    private static float[] Mud(float[] image, float[] liquid, double threshold, double maskSigma)
    {
        var mask = new float[image.Length];
        for (int i = 0; i < mask.Length; i++) mask[i] = liquid[i] > threshold ? 1f : 0f;
        mask = ImageOps.GaussianBlur(mask, maskSigma);
        for (int i = 0; i < image.Length; i++)
        {
            double m = mask[i] < 0.8f ? 0 : mask[i];
            image[i] = ImageOps.Clip01(image[i] * (1 - m) + MudLuma * m);
        }
        return image;
    }

    /// <summary>Chamfer (3-4) distance in pixels from each blob pixel to the nearest non-blob pixel, capped.</summary>
    private static float[] DistanceInside(float[] liquid)
    {
        const int size = ImageOps.Size;
        const double far = 1e9;
        var d = new double[size * size];
        for (int i = 0; i < d.Length; i++) d[i] = liquid[i] > 0 ? far : 0;
        double Get(int y, int x) => y < 0 || y >= size || x < 0 || x >= size ? 0 : d[y * size + x];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int i = y * size + x;
                if (d[i] == 0) continue;
                d[i] = Math.Min(d[i], Math.Min(Math.Min(Get(y - 1, x), Get(y, x - 1)) + 1, Math.Min(Get(y - 1, x - 1), Get(y - 1, x + 1)) + 4.0 / 3));
            }
        for (int y = size - 1; y >= 0; y--)
            for (int x = size - 1; x >= 0; x--)
            {
                int i = y * size + x;
                if (d[i] == 0) continue;
                d[i] = Math.Min(d[i], Math.Min(Math.Min(Get(y + 1, x), Get(y, x + 1)) + 1, Math.Min(Get(y + 1, x + 1), Get(y + 1, x - 1)) + 4.0 / 3));
            }
        var result = new float[d.Length];
        for (int i = 0; i < d.Length; i++) result[i] = (float)Math.Min(d[i], DistanceCap);
        return result;
    }
}
