namespace Cema.Models.Data;

/// <summary>
/// ImageNet-C's snow: a layer of Gaussian noise, zoomed so flakes have a size, thresholded so only
/// some pixels are flakes, streaked by motion blur at an angle in [-135°, -45°] (falling), added with
/// its 180° rotation onto an image washed toward white. The wash (image weight) is ImageNet-C's; the
/// flake noise follows CIFAR-10-C, because ImageNet-C's severity 2 makes more flakes than its
/// severity 3 and on 28×28 that made severity 2 look worse; streaks are in pixels, scaled to 28×28.
/// </summary>
internal sealed class Snow : Corruption
{
    private static readonly (double Mean, double Spread, double Zoom, double Threshold, double Length, double Sigma, double Keep)[] Levels =
    [
        (0.1, 0.2, 1.0, 0.6, 3.0, 1.5, 0.8),
        (0.1, 0.2, 1.0, 0.5, 3.5, 2.0, 0.7),
        (0.2, 0.3, 1.75, 0.55, 3.5, 2.0, 0.7),
        (0.25, 0.3, 2.25, 0.6, 4.0, 3.0, 0.65),
        (0.3, 0.3, 1.25, 0.65, 5.0, 4.0, 0.55),
    ];

    public override string Name => "snow";
    public override string Family => "weather";
    public override IReadOnlyList<string> ParameterNames =>
        ["noise mean", "noise σ", "flake zoom", "flake threshold", "streak length (px)", "streak σ (px)", "image weight"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.Mean), Format(l.Spread), Format(l.Zoom), Format(l.Threshold), Format(l.Length), Format(l.Sigma), Format(l.Keep)];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var l = Levels[severity - 1];
        var layer = new float[image.Length];
        for (int i = 0; i < layer.Length; i++) layer[i] = (float)random.NextGaussian(l.Mean, l.Spread);
        layer = ImageOps.ClippedZoom(layer, l.Zoom);
        for (int i = 0; i < layer.Length; i++) layer[i] = layer[i] < l.Threshold ? 0f : ImageOps.Clip01(layer[i]);
        layer = ImageOps.MotionBlur(layer, l.Length, l.Sigma, random.NextDouble(-135, -45));
        float[] rotated = ImageOps.Rotate180(layer);
        for (int i = 0; i < image.Length; i++)
        {
            double x = image[i];
            double washed = l.Keep * x + (1 - l.Keep) * Math.Max(x, x * 1.5 + 0.5);
            image[i] = ImageOps.Clip01(washed + layer[i] + rotated[i]);
        }
        return image;
    }
}

/// <summary>
/// ImageNet-C's frost: a·image + b·frost texture. ImageNet-C crops one of six photographs of frost;
/// those photos are not available here, so <see cref="FrostTexture"/> draws one procedurally per
/// image. The blend weights a and b are ImageNet-C's.
/// </summary>
internal sealed class Frost : Corruption
{
    private static readonly (double ImageWeight, double FrostWeight)[] Levels = [(1, 0.4), (0.8, 0.6), (0.7, 0.7), (0.65, 0.7), (0.6, 0.75)];

    public override string Name => "frost";
    public override string Family => "weather";
    public override IReadOnlyList<string> ParameterNames => ["image weight", "frost weight"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.ImageWeight), Format(l.FrostWeight)];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var (imageWeight, frostWeight) = Levels[severity - 1];
        float[] frost = FrostTexture.Draw(random);
        for (int i = 0; i < image.Length; i++) image[i] = ImageOps.Clip01(imageWeight * image[i] + frostWeight * frost[i]);
        return image;
    }
}

/// <summary>
/// ImageNet-C's fog: a plasma fractal (diamond-square noise) of amplitude a added, then the result
/// rescaled by max/(max + a) so the image dims as the fog thickens. Larger wibble decay = smoother fog.
/// Amplitude and decay are ImageNet-C's; the fractal is 32×32 (ImageNet-C: 256) cropped to 28×28.
/// </summary>
internal sealed class Fog : Corruption
{
    private static readonly (double Amplitude, double Decay)[] Levels = [(1.5, 2), (2, 2), (2.5, 1.7), (2.75, 1.5), (3, 1.4)];

    public override string Name => "fog";
    public override string Family => "weather";
    public override IReadOnlyList<string> ParameterNames => ["fog amplitude", "wibble decay"];
    public override IReadOnlyList<string> ParameterValues(int severity)
    {
        var l = Levels[severity - 1];
        return [Format(l.Amplitude), Format(l.Decay)];
    }

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        var (amplitude, decay) = Levels[severity - 1];
        double[,] fog = ImageOps.PlasmaFractal(32, decay, random);
        double max = image.Max();
        for (int y = 0; y < ImageOps.Size; y++)
            for (int x = 0; x < ImageOps.Size; x++)
            {
                int i = y * ImageOps.Size + x;
                image[i] = ImageOps.Clip01((image[i] + amplitude * fog[y, x]) * max / (max + amplitude));
            }
        return image;
    }
}
