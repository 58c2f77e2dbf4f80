namespace Cema.Torch.Tests.Nn;

/// <summary>
/// The batch the normalization tests compute by hand: two samples, two channels, 1×2 pixels. Channel 0 sees 1, 3, 5, 7
/// (mean 4, biased variance 5, unbiased 20/3); channel 1 sees 0, 0, 2, 2 (mean 1, biased variance 1, unbiased 4/3).
/// </summary>
internal static class NormTestBatch
{
    /// <summary>BatchNorm's default epsilon.</summary>
    public const double Eps = 1e-5;

    /// <summary>The batch, every pixel moved by <paramref name="shift"/>.</summary>
    public static Tensor Batch(float shift = 0) => torch.tensor(new float[] { 1, 3, 0, 0, 5, 7, 2, 2 }.Select(v => v + shift).ToArray(), 2, 2, 1, 2);

    /// <summary>The four values of one channel of an N=2, C=2, 1×2 tensor, in the order the comments list them.</summary>
    public static float[] Channel(Tensor t, int channel)
    {
        var v = t.ToArray<float>();
        int n = channel * 2;
        return new[] { v[n], v[n + 1], v[n + 4], v[n + 5] };
    }

    public static void AssertClose(double[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
