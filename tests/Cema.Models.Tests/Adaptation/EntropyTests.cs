using Cema.Models.Adaptation;
using Cema.Torch;

namespace Cema.Models.Tests.Adaptation;

public class EntropyTests
{
    [Fact]
    public void Per_sample_entropy_matches_the_formula()
    {
        // Row 0: uniform over 3 → ln 3. Row 1: p = (1/4, 3/4, 0⁺) with logits (0, ln 3, −1000).
        // Row 2: one class certain → 0 (not NaN).
        using var logits = torch.tensor(new float[] { 0, 0, 0, 0, (float)Math.Log(3), -1000, 1000, 0, 0 }, 3, 3);
        using var entropy = Entropy.PerSample(logits);
        double[] e = entropy.@double().ToArray<double>();
        Assert.Equal(Math.Log(3), e[0], 6);
        Assert.Equal(-(0.25 * Math.Log(0.25) + 0.75 * Math.Log(0.75)), e[1], 6);
        Assert.Equal(0, e[2], 6);
    }

    [Fact]
    public void Margin_is_a_fraction_of_ln_C()
    {
        Assert.Equal(0.4 * Math.Log(10), Entropy.Margin(10, 0.4), 12);
        Assert.Equal(0.02 * Math.Log(1000), Entropy.Margin(1000, 0.02), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Entropy.Margin(1, 0.4));
    }

    [Fact]
    public void Logits_must_be_two_dimensional()
    {
        using var logits = torch.zeros(2, 3, 4);
        Assert.Throws<ArgumentException>(() => Entropy.PerSample(logits));
    }
}
