using Cema.Torch.Modules;
using static Cema.Torch.Tests.Nn.NormTestBatch;

namespace Cema.Torch.Tests.Nn;

public class TestTimeRenormTests
{
    private static BatchNorm2d Renorm(double mean0, double var0, double mean1, double var1)
    {
        var bn = torch.nn.BatchNorm2d(2, momentum: 0.1);
        bn.mode = BatchNorm2d.NormalizationMode.TestTimeRenorm;
        using (torch.no_grad())
        {
            bn.running_mean!.copy_(torch.tensor(new float[] { (float)mean0, (float)mean1 }));
            bn.running_var!.copy_(torch.tensor(new float[] { (float)var0, (float)var1 }));
        }
        bn.KeepRunningStats();
        return bn;
    }

    [Fact]
    public void Switching_to_the_mode_discards_the_source_statistics_at_the_first_batch()
    {
        using var bn = torch.nn.BatchNorm2d(2);
        Assert.False(bn.RunningStatsPending);
        bn.mode = BatchNorm2d.NormalizationMode.TestTimeRenorm;
        Assert.True(bn.RunningStatsPending);
        bn.eval();
        using var x = Batch();
        using var y = bn.call(x);

        Assert.False(bn.RunningStatsPending);
        AssertClose(new[] { 4.0, 1.0 }, bn.running_mean!.ToArray<float>());
        AssertClose(new[] { 20.0 / 3, 4.0 / 3 }, bn.running_var!.ToArray<float>());
        // Normalized with the statistics it just took, which are the batch's (unbiased variance).
        AssertClose(new[] { -3, -1, 1, 3 }.Select(v => v / Math.Sqrt(20.0 / 3 + Eps)).ToArray(), Channel(y, 0));
    }

    [Fact]
    public void Kept_statistics_are_not_replaced_by_the_first_batch()
    {
        using var bn = Renorm(0.5, 2, -1, 3);
        bn.eval();
        using var x = Batch();
        using (bn.call(x)) { }
        AssertClose(new[] { 0.5, -1 }, bn.running_mean!.ToArray<float>());
        AssertClose(new[] { 2.0, 3.0 }, bn.running_var!.ToArray<float>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Value_is_the_input_normalized_with_the_running_statistics(bool training)
    {
        using var bn = Renorm(0.5, 2, -1, 3);
        using (torch.no_grad())
        {
            bn.weight!.copy_(torch.tensor(new float[] { 2, 1 }));
            bn.bias!.copy_(torch.tensor(new float[] { 0.5f, -1 }));
        }
        bn.train(training);
        using var x = Batch();
        using var y = bn.call(x);
        AssertClose(new double[] { 1, 3, 5, 7 }.Select(v => 2 * (v - 0.5) / Math.Sqrt(2 + Eps) + 0.5).ToArray(), Channel(y, 0));
        AssertClose(new double[] { 0, 0, 2, 2 }.Select(v => (v + 1) / Math.Sqrt(3 + Eps) - 1).ToArray(), Channel(y, 1));
    }

    [Fact]
    public void Training_moves_the_running_statistics_by_momentum_and_eval_does_not()
    {
        using var bn = Renorm(0.5, 2, -1, 3);
        using var x = Batch();
        using (bn.call(x)) { }
        double mean0 = 0.5 + 0.1 * (4 - 0.5), var0 = 2 + 0.1 * (20.0 / 3 - 2);
        double mean1 = -1 + 0.1 * (1 + 1), var1 = 3 + 0.1 * (4.0 / 3 - 3);
        AssertClose(new[] { mean0, mean1 }, bn.running_mean!.ToArray<float>());
        AssertClose(new[] { var0, var1 }, bn.running_var!.ToArray<float>());

        bn.eval();
        using var shifted = Batch(shift: 5);
        using (bn.call(shifted)) { }
        AssertClose(new[] { mean0, mean1 }, bn.running_mean.ToArray<float>());
        AssertClose(new[] { var0, var1 }, bn.running_var.ToArray<float>());
    }

    [Fact]
    public void Inference_without_grad_gives_the_same_value_and_keeps_the_running_statistics()
    {
        using var bn = Renorm(0.5, 2, -1, 3);
        using (torch.no_grad())
        {
            bn.weight!.copy_(torch.tensor(new float[] { 2, 1 }));
            bn.bias!.copy_(torch.tensor(new float[] { 0.5f, -1 }));
        }
        bn.eval();
        using var x = Batch(shift: 1);
        using var withGrad = bn.call(x);   // the long form: batch statistics, r and d
        Tensor fast;
        using (torch.no_grad()) fast = bn.call(x);
        using (fast)
        {
            Assert.False(fast.requires_grad);
            Assert.True(fast.allclose(withGrad, rtol: 1e-5, atol: 1e-6), "eval under no_grad differs from the renormalized value");
        }
        AssertClose(new[] { 0.5, -1 }, bn.running_mean!.ToArray<float>());
        AssertClose(new[] { 2.0, 3.0 }, bn.running_var!.ToArray<float>());
    }

    [Fact]
    public void Inference_without_grad_still_takes_the_first_batchs_statistics()
    {
        using var bn = torch.nn.BatchNorm2d(2);
        bn.mode = BatchNorm2d.NormalizationMode.TestTimeRenorm;
        bn.eval();
        using var x = Batch();
        Tensor y;
        using (torch.no_grad()) y = bn.call(x);
        using (y)
        {
            Assert.False(bn.RunningStatsPending);
            AssertClose(new[] { 4.0, 1.0 }, bn.running_mean!.ToArray<float>());
            AssertClose(new[] { 20.0 / 3, 4.0 / 3 }, bn.running_var!.ToArray<float>());
            AssertClose(new[] { -3, -1, 1, 3 }.Select(v => v / Math.Sqrt(20.0 / 3 + Eps)).ToArray(), Channel(y, 0));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Batch_statistics_mode_normalizes_with_the_batch_and_leaves_the_running_statistics(bool training)
    {
        using var bn = Renorm(0.5, 2, -1, 3);
        bn.mode = BatchNorm2d.NormalizationMode.BatchStatistics;
        bn.train(training);
        using var x = Batch();
        Tensor y;
        using (torch.no_grad()) y = bn.call(x);
        using (y)
        {
            // Channel 0: 1, 3, 5, 7 → mean 4, biased variance 5 (batch_norm normalizes with the biased one).
            AssertClose(new[] { -3, -1, 1, 3 }.Select(v => v / Math.Sqrt(5 + Eps)).ToArray(), Channel(y, 0));
        }
        AssertClose(new[] { 0.5, -1 }, bn.running_mean!.ToArray<float>());
        AssertClose(new[] { 2.0, 3.0 }, bn.running_var!.ToArray<float>());
    }

    [Fact]
    public void Without_running_statistics_the_mode_is_refused()
    {
        using var bn = torch.nn.BatchNorm2d(2, trackRunningStats: false);
        bn.mode = BatchNorm2d.NormalizationMode.TestTimeRenorm;
        using var x = Batch();
        Assert.Contains("trackRunningStats", Assert.Throws<InvalidOperationException>(() => bn.call(x)).Message);
    }

    /// <summary>
    /// Renormalization's gradient is by design not the derivative of its value (the value ignores the
    /// batch statistics; the gradient goes through them with r and d held constant), so the finite
    /// differences are taken of that surrogate: S(x, γ, β) = Σ W · (γ ((x − μ_B(x)) / σ_B(x) · r₀ + d₀) + β),
    /// with r₀, d₀ fixed at the batch's values, written out here in plain doubles.
    /// </summary>
    [Fact]
    public void Gradient_flows_through_the_batch_statistics_with_r_and_d_constant()
    {
        const int N = 3, C = 2, H = 2, W = 2, PerChannel = N * H * W;
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(20240611);
        double[] x0 = torch.randn(new long[] { N, C, H, W }, ScalarType.Float64, generator).mul(2).add(0.7).ToArray<double>();
        double[] weights = torch.randn(new long[] { N, C, H, W }, ScalarType.Float64, generator).ToArray<double>();
        double[] gamma0 = { 1.5, -0.8 }, beta0 = { 0.2, 0.3 }, runningMean = { 0.4, -0.3 }, runningVar = { 1.7, 0.6 };

        using var bn = torch.nn.BatchNorm2d(C, momentum: 0.1);
        bn.RegisterParameter("weight", torch.tensor(gamma0));
        bn.RegisterParameter("bias", torch.tensor(beta0));
        bn.RegisterBuffer("running_mean", torch.tensor(runningMean));
        bn.RegisterBuffer("running_var", torch.tensor(runningVar));
        bn.mode = BatchNorm2d.NormalizationMode.TestTimeRenorm;
        bn.KeepRunningStats();
        // Training mode: the running statistics move during the forward; the gradient must use the ones before.
        var x = torch.tensor(x0, N, C, H, W).requires_grad_();
        (bn.call(x) * torch.tensor(weights, N, C, H, W)).sum().backward();
        double[] gradX = x.grad!.ToArray<double>(), gradGamma = bn.weight!.grad!.ToArray<double>(), gradBeta = bn.bias!.grad!.ToArray<double>();

        int Index(int n, int c, int j) => ((n * C + c) * H * W) + j;
        (double mean, double std) BatchStats(double[] v, int c)
        {
            double sum = 0, squares = 0;
            for (int n = 0; n < N; n++) for (int j = 0; j < H * W; j++) sum += v[Index(n, c, j)];
            double mean = sum / PerChannel;
            for (int n = 0; n < N; n++) for (int j = 0; j < H * W; j++) squares += Math.Pow(v[Index(n, c, j)] - mean, 2);
            return (mean, Math.Sqrt(squares / (PerChannel - 1) + Eps));
        }
        var r0 = new double[C];
        var d0 = new double[C];
        for (int c = 0; c < C; c++)
        {
            var (mean, std) = BatchStats(x0, c);
            r0[c] = std / Math.Sqrt(runningVar[c] + Eps);
            d0[c] = (mean - runningMean[c]) / Math.Sqrt(runningVar[c] + Eps);
        }
        double Surrogate(double[] v, double[] gamma, double[] beta)
        {
            double s = 0;
            for (int c = 0; c < C; c++)
            {
                var (mean, std) = BatchStats(v, c);
                for (int n = 0; n < N; n++)
                    for (int j = 0; j < H * W; j++)
                        s += weights[Index(n, c, j)] * (gamma[c] * ((v[Index(n, c, j)] - mean) / std * r0[c] + d0[c]) + beta[c]);
            }
            return s;
        }
        double Difference(double[] v, int i, Func<double> f)
        {
            const double h = 1e-6;
            double orig = v[i];
            v[i] = orig + h;
            double plus = f();
            v[i] = orig - h;
            double minus = f();
            v[i] = orig;
            return (plus - minus) / (2 * h);
        }
        void AssertGradient(double[] autograd, double[] v, string name)
        {
            for (int i = 0; i < v.Length; i++)
            {
                double numeric = Difference(v, i, () => Surrogate(x0, gamma0, beta0));
                Assert.True(Math.Abs(autograd[i] - numeric) <= 1e-6 + 1e-6 * Math.Abs(numeric), $"{name}[{i}]: autograd {autograd[i]:R}, finite difference {numeric:R}");
            }
        }
        AssertGradient(gradX, x0, "x");
        AssertGradient(gradGamma, gamma0, "weight");
        AssertGradient(gradBeta, beta0, "bias");

        // Not the gradient of normalizing with the running statistics (γ W / √(running_var + ε)).
        double largestGap = 0;
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int j = 0; j < H * W; j++)
                    largestGap = Math.Max(largestGap, Math.Abs(gradX[Index(n, c, j)] - gamma0[c] * weights[Index(n, c, j)] / Math.Sqrt(runningVar[c] + Eps)));
        Assert.True(largestGap > 1e-2, $"the gradient ignores the batch statistics (largest gap {largestGap})");
        Assert.NotEqual(runningMean[0], bn.running_mean!.ToArray<double>()[0]);
    }
}
