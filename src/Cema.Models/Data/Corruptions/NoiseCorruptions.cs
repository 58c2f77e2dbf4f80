namespace Cema.Models.Data;

// Noise parameters are intensities on the [0, 1] scale, independent of image size, so all four
// keep ImageNet-C's values exactly.

/// <summary>x + N(0, σ²) per pixel.</summary>
internal sealed class GaussianNoise : Corruption
{
    private static readonly double[] Sigma = [0.08, 0.12, 0.18, 0.26, 0.38];

    public override string Name => "gaussian_noise";
    public override string Family => "noise";
    public override IReadOnlyList<string> ParameterNames => ["σ"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Sigma[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        double sigma = Sigma[severity - 1];
        for (int i = 0; i < image.Length; i++) image[i] = ImageOps.Clip01(image[i] + sigma * random.NextGaussian());
        return image;
    }
}

/// <summary>Poisson(x·λ)/λ per pixel: photon counting noise, stronger at low λ.</summary>
internal sealed class ShotNoise : Corruption
{
    private static readonly double[] Lambda = [60, 25, 12, 5, 3];

    public override string Name => "shot_noise";
    public override string Family => "noise";
    public override IReadOnlyList<string> ParameterNames => ["λ (photons at white)"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Lambda[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        double lambda = Lambda[severity - 1];
        for (int i = 0; i < image.Length; i++) image[i] = ImageOps.Clip01(random.NextPoisson(image[i] * lambda) / lambda);
        return image;
    }
}

/// <summary>Salt and pepper (skimage random_noise mode "s&amp;p"): a fraction of pixels set to 0 or 1, half each.</summary>
internal sealed class ImpulseNoise : Corruption
{
    private static readonly double[] Amount = [0.03, 0.06, 0.09, 0.17, 0.27];

    public override string Name => "impulse_noise";
    public override string Family => "noise";
    public override IReadOnlyList<string> ParameterNames => ["fraction of pixels replaced"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Amount[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        double amount = Amount[severity - 1];
        for (int i = 0; i < image.Length; i++)
        {
            bool replaced = random.NextDouble() < amount;
            bool salt = random.NextDouble() < 0.5;
            if (replaced) image[i] = salt ? 1f : 0f;
        }
        return image;
    }
}

/// <summary>x + x·N(0, σ²): multiplicative noise, so black background stays black (validation corruption).</summary>
internal sealed class SpeckleNoise : Corruption
{
    private static readonly double[] Sigma = [0.15, 0.2, 0.35, 0.45, 0.6];

    public override string Name => "speckle_noise";
    public override string Family => "noise";
    public override bool IsValidation => true;
    public override IReadOnlyList<string> ParameterNames => ["σ"];
    public override IReadOnlyList<string> ParameterValues(int severity) => [Format(Sigma[severity - 1])];

    protected override float[] Corrupt(float[] image, int severity, SeededRandom random)
    {
        double sigma = Sigma[severity - 1];
        for (int i = 0; i < image.Length; i++) image[i] = ImageOps.Clip01(image[i] + image[i] * sigma * random.NextGaussian());
        return image;
    }
}
