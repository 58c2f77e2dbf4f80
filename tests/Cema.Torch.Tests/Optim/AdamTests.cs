
namespace Cema.Torch.Tests.Optim;

public class AdamTests
{
    private static readonly double[] Start = { 1.0, -2.0, 0.5 };

    /// <summary>Runs Adam on a 3-element parameter given the gradient of each step; returns the parameter after each.</summary>
    private static float[][] RunAdam(double[][] grads, double lr, double weightDecay = 0, bool amsgrad = false, double beta2 = 0.999)
    {
        using var p = torch.tensor(Start.Select(v => (float)v).ToArray()).requires_grad_();
        using var adam = torch.optim.Adam(new[] { p }, lr: lr, beta2: beta2, weight_decay: weightDecay, amsgrad: amsgrad);
        var after = new float[grads.Length][];
        for (int i = 0; i < grads.Length; i++)
        {
            using (var g = torch.tensor(grads[i].Select(v => (float)v).ToArray())) p.grad = g;
            adam.step();
            after[i] = p.ToArray<float>();
        }
        return after;
    }

    /// <summary>The Adam formulas of PyTorch 1.13, in double.</summary>
    private static double[][] Reference(double[][] grads, double lr, double weightDecay = 0, bool amsgrad = false, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        var x = (double[])Start.Clone();
        var m = new double[x.Length];
        var v = new double[x.Length];
        var vMax = new double[x.Length];
        var after = new double[grads.Length][];
        for (int t = 1; t <= grads.Length; t++)
        {
            for (int i = 0; i < x.Length; i++)
            {
                double g = grads[t - 1][i] + weightDecay * x[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                vMax[i] = Math.Max(vMax[i], v[i]);
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double denom = Math.Sqrt(amsgrad ? vMax[i] : v[i]) / Math.Sqrt(1 - Math.Pow(beta2, t)) + eps;
                x[i] -= lr * mHat / denom;
            }
            after[t - 1] = (double[])x.Clone();
        }
        return after;
    }

    private static void AssertClose(double[][] expected, float[][] actual)
    {
        for (int t = 0; t < expected.Length; t++)
        {
            for (int i = 0; i < expected[t].Length; i++)
            {
                Assert.True(Math.Abs(expected[t][i] - actual[t][i]) < 2e-6, $"step {t + 1}, element {i}: expected {expected[t][i]}, got {actual[t][i]}");
            }
        }
    }

    private static readonly double[][] Grads = { new[] { 0.5, -1.0, 2.0 }, new[] { 0.3, 0.2, -4.0 } };

    [Fact]
    public void Two_steps_follow_the_bias_corrected_update()
    {
        var actual = RunAdam(Grads, lr: 0.1);
        AssertClose(Reference(Grads, lr: 0.1), actual);
        // The first bias-corrected step is lr·sign(g) whatever the gradient's size.
        Assert.Equal(1.0 - 0.1, actual[0][0], 5);
        Assert.Equal(-2.0 + 0.1, actual[0][1], 5);
    }

    [Fact]
    public void Weight_decay_adds_decay_times_parameter_to_the_gradient()
    {
        AssertClose(Reference(Grads, lr: 0.1, weightDecay: 0.5), RunAdam(Grads, lr: 0.1, weightDecay: 0.5));
    }

    [Fact]
    public void Amsgrad_normalizes_by_the_largest_second_moment_seen()
    {
        // A gradient that collapses makes the second moment shrink (fast, with beta2 0.9), which is where AMSGrad differs.
        double[][] collapsing = { new[] { 10.0, -10.0, 10.0 }, new[] { 0.01, 0.01, -0.01 } };
        var withMax = RunAdam(collapsing, lr: 0.1, amsgrad: true, beta2: 0.9);
        AssertClose(Reference(collapsing, lr: 0.1, amsgrad: true, beta2: 0.9), withMax);
        var plain = RunAdam(collapsing, lr: 0.1, beta2: 0.9);
        AssertClose(Reference(collapsing, lr: 0.1, beta2: 0.9), plain);
        Assert.True(Math.Abs(withMax[1][0] - plain[1][0]) > 1e-4);
    }

    [Fact]
    public void State_holds_a_float32_step_and_moments_per_parameter()
    {
        using var p = torch.tensor(new float[] { 1, 2 }).requires_grad_();
        using var adam = torch.optim.Adam(new[] { p }, lr: 0.01, amsgrad: true);
        using (var g = torch.ones(2)) p.grad = g;
        adam.step();
        adam.step();
        using var scope = torch.NewDisposeScope();
        var state = adam.state_dict();
        Assert.Equal(new[] { "0.step", "0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq" }, state.Keys);
        Assert.Equal(ScalarType.Float32, state["0.step"].dtype);
        Assert.Equal(2f, state["0.step"].item<float>());
        Assert.Equal(new long[] { 2 }, state["0.exp_avg"].shape);
    }

    [Fact]
    public void Hyperparameters_are_properties_and_are_validated()
    {
        using var x = torch.zeros(new long[] { 1 }, requires_grad: true);
        using var adam = torch.optim.Adam(new[] { x });
        Assert.Equal((1e-3, (0.9, 0.999), 1e-8, 0.0, false), (adam.lr, adam.betas, adam.eps, adam.weight_decay, adam.amsgrad));
        adam.betas = (0.8, 0.99);
        Assert.Equal((0.8, 0.99), adam.betas);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.betas = (1.0, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => torch.optim.Adam(new[] { x }, eps: -1));
    }
}
