using Cema.Torch;
using Xunit.Sdk;

namespace Cema.Torch.Tests;

/// <summary>The checker itself: it must reject a wrong gradient and a vacuous check.</summary>
public class GradCheckTests
{
    [Fact]
    public void A_correct_gradient_passes()
    {
        using var x = torch.tensor(new[] { 0.5, -1.5, 2 });
        GradCheck.Check(t => t[0] * t[0] * t[0], x);
    }

    [Fact]
    public void A_wrong_gradient_is_caught()
    {
        using var x = torch.tensor(new[] { 0.5, -1.5, 2 });
        // Autograd sees x.detach() as a constant (gradient x); the true derivative of x^2 is 2x.
        var e = Assert.ThrowsAny<XunitException>(() => GradCheck.Check(t => t[0].detach() * t[0], x));
        Assert.Contains("finite difference", e.Message);
    }

    [Fact]
    public void An_all_zero_gradient_is_refused_unless_expected()
    {
        using var x = torch.tensor(new[] { 0.5, -1.5, 2 });
        var e = Assert.ThrowsAny<XunitException>(() => GradCheck.Check(t => t[0] * 0, x));
        Assert.Contains("every gradient is zero", e.Message);
        GradCheck.Check(t => t[0] * 0, new[] { x }, null, expectNonZero: false);
    }

    [Fact]
    public void Non_differentiable_inputs_are_passed_as_constants()
    {
        using var x = torch.tensor(new[] { 0.5, -1.5 });
        using var idx = torch.tensor(new long[] { 1, 1, 0 });
        GradCheck.Check(t => t[0][t[1]] * 2, new[] { x, idx }, new[] { true, false });
    }
}
