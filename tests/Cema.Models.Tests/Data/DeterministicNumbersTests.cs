using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

public class DeterministicNumbersTests
{
    [Fact]
    public void Portable_math_agrees_with_the_platform_library()
    {
        for (double x = -40; x <= 40; x += 0.0137)
            Assert.True(Math.Abs(PortableMath.Exp(x) - Math.Exp(x)) <= 2e-15 * Math.Exp(x), $"exp({x})");
        for (double x = 1e-300; x < 1e300; x *= 1.37)
            Assert.True(Math.Abs(PortableMath.Log(x) - Math.Log(x)) <= 1e-15 * Math.Max(1, Math.Abs(Math.Log(x))), $"log({x})");
        Assert.Equal(Math.Log(5e-320), PortableMath.Log(5e-320), 1e-12);
        for (double x = -20; x <= 20; x += 0.0071)
        {
            Assert.True(Math.Abs(PortableMath.Sin(x) - Math.Sin(x)) <= 1e-15, $"sin({x})");
            Assert.True(Math.Abs(PortableMath.Cos(x) - Math.Cos(x)) <= 1e-15, $"cos({x})");
        }
        Assert.Equal(Math.Pow(0.3, 0.45), PortableMath.Pow(0.3, 0.45), 1e-15);
        Assert.Equal(0, PortableMath.Pow(0, 0.45));
        Assert.Equal(0, PortableMath.Exp(-800));
        Assert.True(double.IsNaN(PortableMath.Log(-1)));
    }

    [Fact]
    public void Random_streams_are_reproducible_and_pinned()
    {
        var a = SeededRandom.For(1, "fog", 3, 17);
        var b = SeededRandom.For(1, "fog", 3, 17);
        var other = SeededRandom.For(1, "fog", 3, 18);
        ulong[] first = Enumerable.Range(0, 4).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 4).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(first, Enumerable.Range(0, 4).Select(_ => other.NextUInt64()).ToArray());
        Assert.NotEqual(SeededRandom.Hash(0, "fog", 1, 2), SeededRandom.Hash(0, "fog", 2, 1));
        Assert.NotEqual(SeededRandom.Hash(0, "fog", 1, 2), SeededRandom.Hash(0, "snow", 1, 2));
        // xoshiro256** seeded by SplitMix64 is fully specified; these values must never change.
        Assert.Equal(PinnedFirstDraw, new SeededRandom(0).NextUInt64());
    }

    private const ulong PinnedFirstDraw = 11091344671253066420UL;

    [Fact]
    public void Random_distributions_have_the_right_moments()
    {
        var random = new SeededRandom(123);
        const int n = 200_000;
        double uniform = 0, gaussian = 0, gaussianSquares = 0, poisson = 0;
        var counts = new int[7];
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            Assert.InRange(u, 0, 1 - 1e-17);
            uniform += u;
            double g = random.NextGaussian();
            gaussian += g;
            gaussianSquares += g * g;
            poisson += random.NextPoisson(12);
            counts[random.NextInt(-3, 3) + 3]++;
        }
        Assert.Equal(0.5, uniform / n, 0.005);
        Assert.Equal(0, gaussian / n, 0.01);
        Assert.Equal(1, gaussianSquares / n, 0.01);
        Assert.Equal(12, poisson / n, 0.05);
        Assert.All(counts, c => Assert.InRange(c, n / 7 * 0.97, n / 7 * 1.03));
    }
}
