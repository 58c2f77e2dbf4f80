using Cema.Torch;
using F = Cema.Torch.torch.nn.functional;

namespace Cema.Torch.Tests.Ops;

/// <summary>torch.nn.functional: a hand-computed forward on tiny inputs and a float64 gradcheck for every differentiable input.</summary>
public class FunctionalTests
{
    private static readonly double Ln2 = Math.Log(2), Ln3 = Math.Log(3), Ln6 = Math.Log(6);

    internal static Tensor R(ulong seed, params long[] shape)
    {
        using var g = new Generator(seed);
        return torch.randn(shape, ScalarType.Float64, g);
    }

    private static Tensor D(double[] v, params long[] shape) => torch.tensor(v, shape);

    // x = arange(9).reshape(1, 1, 3, 3) = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    private static Tensor X33() => torch.arange(0.0, 9.0, 1.0, ScalarType.Float64).reshape(1, 1, 3, 3);

    // ---- conv2d ---------------------------------------------------------------------------------

    [Fact]
    public void Conv2d_forward()
    {
        using var x = X33();
        using var w = D(new double[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        // out[i, j] = x[i, j] + 2 x[i, j+1] + 3 x[i+1, j] + 4 x[i+1, j+1]
        using (var r = F.conv2d(x, w)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new double[] { 27, 37, 57, 67 });
        using var b1 = torch.tensor(new[] { 0.5 });
        using (var r = F.conv2d(x, w, b1)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new[] { 27.5, 37.5, 57.5, 67.5 });
        // stride 2, padding 1: windows at (-1,-1), (-1,1), (1,-1), (1,1) of the zero-padded input
        using (var r = F.conv2d(x, w, null, stride: 2, padding: 1)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new double[] { 0, 11, 30, 67 });
        // dilation 2: the kernel taps x[0,0], x[0,2], x[2,0], x[2,2]
        using (var r = F.conv2d(x, w, null, stride: 1, padding: 0, dilation: 2)) Expect.Values(r, new long[] { 1, 1, 1, 1 }, new double[] { 54 });
        // different strides per axis
        using (var r = F.conv2d(x, w, stride: new long[] { 1, 2 })) Expect.Values(r, new long[] { 1, 1, 2, 1 }, new double[] { 27, 57 });
        using (var r = F.conv2d(x, w, padding: new long[] { 0, 1 })) Expect.Values(r, new long[] { 1, 1, 2, 4 }, new double[] { 12, 27, 37, 17, 30, 57, 67, 29 }); // cols padded: out[0, 0] = 2 x[0, 0] + 4 x[1, 0]

        // two output channels, with bias
        using var w2 = D(new double[] { 1, 2, 3, 4, 0, 0, 0, 1 }, 2, 1, 2, 2);
        using var b2 = torch.tensor(new[] { 0.5, -1 });
        using (var r = F.conv2d(x, w2, b2)) Expect.Values(r, new long[] { 1, 2, 2, 2 }, new[] { 27.5, 37.5, 57.5, 67.5, 3, 4, 6, 7 });
    }

    [Fact]
    public void Conv2d_mixes_input_channels_and_groups_keep_them_apart()
    {
        using var x = D(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 1, 2, 2, 2); // channel 0 = 1..4, channel 1 = 5..8
        using var mix = D(new double[] { 1, 10 }, 1, 2, 1, 1);
        using (var r = F.conv2d(x, mix)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new double[] { 51, 62, 73, 84 });
        using var perGroup = D(new double[] { 2, -1 }, 2, 1, 1, 1);
        using (var r = F.conv2d(x, perGroup, groups: 2)) Expect.Values(r, new long[] { 1, 2, 2, 2 }, new double[] { 2, 4, 6, 8, -5, -6, -7, -8 });
    }

    public static TheoryData<string> ConvCases => new() { "stride2_pad1_bias", "dilation2_groups2", "asymmetric", "batch_no_bias" };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_gradients(string name)
    {
        switch (name)
        {
            case "stride2_pad1_bias":
            {
                using var x = R(1, 2, 2, 5, 5);
                using var w = R(2, 3, 2, 3, 3);
                using var b = R(3, 3);
                GradCheck.Check(t => F.conv2d(t[0], t[1], t[2], stride: 2, padding: 1), x, w, b);
                break;
            }
            case "dilation2_groups2":
            {
                using var x = R(4, 1, 4, 5, 5);
                using var w = R(5, 4, 2, 2, 2);
                GradCheck.Check(t => F.conv2d(t[0], t[1], null, stride: 1, padding: 0, dilation: 2, groups: 2), x, w);
                break;
            }
            case "asymmetric":
            {
                using var x = R(6, 1, 1, 4, 5);
                using var w = R(7, 2, 1, 2, 3);
                using var b = R(8, 2);
                GradCheck.Check(t => F.conv2d(t[0], t[1], t[2], new long[] { 1, 2 }, new long[] { 0, 1 }, new long[] { 2, 1 }), x, w, b);
                break;
            }
            case "batch_no_bias":
            {
                using var x = R(9, 3, 2, 3, 3);
                using var w = R(10, 1, 2, 2, 2);
                GradCheck.Check(t => F.conv2d(t[0], t[1]), x, w);
                break;
            }
        }
    }

    // ---- batch_norm -----------------------------------------------------------------------------

    [Fact]
    public void Batch_norm_training_normalizes_with_batch_stats_and_updates_running_stats()
    {
        const double eps = 1e-5;
        using var x = D(new double[] { 1, 0, 2, 4, 3, 8 }, 3, 2); // channel 0: 1, 2, 3; channel 1: 0, 4, 8
        using var w = torch.tensor(new[] { 2.0, 0.5 });
        using var b = torch.tensor(new[] { 1.0, -1 });
        using var rm = torch.tensor(new[] { 1.0, 1 });
        using var rv = torch.tensor(new[] { 2.0, 2 });
        using var y = F.batch_norm(x, rm, rv, w, b, training: true, momentum: 0.1, eps: eps);

        // Batch mean (2, 4); biased variance (2/3, 32/3) normalizes.
        double s0 = Math.Sqrt(2.0 / 3 + eps), s1 = Math.Sqrt(32.0 / 3 + eps);
        Expect.Values(y, new long[] { 3, 2 }, new[]
        {
            2 * (1 - 2) / s0 + 1, 0.5 * (0 - 4) / s1 - 1,
            2 * (2 - 2) / s0 + 1, 0.5 * (4 - 4) / s1 - 1,
            2 * (3 - 2) / s0 + 1, 0.5 * (8 - 4) / s1 - 1,
        });
        // running = 0.9 * running + 0.1 * batch, with the unbiased variance (1, 16).
        Expect.Values(rm, new long[] { 2 }, new[] { 0.9 * 1 + 0.1 * 2, 0.9 * 1 + 0.1 * 4 });
        Expect.Values(rv, new long[] { 2 }, new[] { 0.9 * 2 + 0.1 * 1, 0.9 * 2 + 0.1 * 16 });
    }

    [Fact]
    public void Batch_norm_training_over_spatial_dims_uses_the_given_momentum()
    {
        const double eps = 1e-5;
        using var x = D(new double[] { 1, 3, 5, 7 }, 2, 1, 1, 2);  // one channel: mean 4, biased var 5, unbiased 20/3
        using var rm = torch.zeros(new long[] { 1 }, ScalarType.Float64);
        using var rv = torch.ones(new long[] { 1 }, ScalarType.Float64);
        using var y = F.batch_norm(x, rm, rv, training: true, momentum: 0.5, eps: eps);
        double s = Math.Sqrt(5 + eps);
        Expect.Values(y, new long[] { 2, 1, 1, 2 }, new[] { -3 / s, -1 / s, 1 / s, 3 / s });
        Expect.Values(rm, new long[] { 1 }, new[] { 2.0 });
        Expect.Values(rv, new long[] { 1 }, new[] { 0.5 + 0.5 * 20 / 3 });

        using var noStats = F.batch_norm(x, null, null, training: true, eps: eps); // running stats are optional
        Assert.True(noStats.allclose(y));
    }

    [Fact]
    public void Batch_norm_eval_uses_running_stats_and_leaves_them_alone()
    {
        const double eps = 1e-5;
        using var x = D(new double[] { 1, 0, 2, 4, 3, 8 }, 3, 2);
        using var w = torch.tensor(new[] { 2.0, 0.5 });
        using var b = torch.tensor(new[] { 1.0, -1 });
        using var rm = torch.tensor(new[] { 1.1, 1.3 });
        using var rv = torch.tensor(new[] { 1.9, 3.4 });
        using var y = F.batch_norm(x, rm, rv, w, b, training: false, eps: eps);
        double s0 = Math.Sqrt(1.9 + eps), s1 = Math.Sqrt(3.4 + eps);
        Expect.Values(y, new long[] { 3, 2 }, new[]
        {
            2 * (1 - 1.1) / s0 + 1, 0.5 * (0 - 1.3) / s1 - 1,
            2 * (2 - 1.1) / s0 + 1, 0.5 * (4 - 1.3) / s1 - 1,
            2 * (3 - 1.1) / s0 + 1, 0.5 * (8 - 1.3) / s1 - 1,
        });
        Expect.Values(rm, new long[] { 2 }, new[] { 1.1, 1.3 });
        Expect.Values(rv, new long[] { 2 }, new[] { 1.9, 3.4 });
        Expect.TorchError(() => F.batch_norm(x, null, null, training: false), "running_mean must be defined in evaluation mode");
    }

    [Fact]
    public void Batch_norm_gradients()
    {
        using var x = R(11, 4, 3);
        using var w = R(12, 3);
        using var b = R(13, 3);
        GradCheck.Check(t => F.batch_norm(t[0], null, null, t[1], t[2], training: true), x, w, b);

        using var x4 = R(14, 2, 2, 2, 3);
        using var w4 = R(15, 2);
        using var b4 = R(16, 2);
        using var rm = torch.tensor(new[] { 0.3, -0.2 });
        using var rv = torch.tensor(new[] { 1.5, 0.7 });
        GradCheck.Check(t => F.batch_norm(t[0], null, null, t[1], t[2], training: true), x4, w4, b4);
        GradCheck.Check(t => F.batch_norm(t[0], rm, rv, t[1], t[2], training: false), x4, w4, b4);
    }

    // ---- linear and activations -----------------------------------------------------------------

    [Fact]
    public void Linear_forward_and_gradients()
    {
        using var x = D(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var w = D(new[] { 1, 0, -1, 0.5, 0.5, 0.5 }, 2, 3);
        using var b = torch.tensor(new[] { 1.0, -1 });
        using (var r = F.linear(x, w, b)) Expect.Values(r, new long[] { 2, 2 }, new[] { -1, 2, -1, 6.5 });
        using (var r = F.linear(x, w)) Expect.Values(r, new long[] { 2, 2 }, new[] { -2, 3, -2, 7.5 });
        using var v = torch.tensor(new[] { 1.0, 2, 3 });
        using (var r = F.linear(v, w, b)) Expect.Values(r, new long[] { 2 }, new[] { -1, 2.0 });
        using var x3 = R(17, 2, 2, 3);
        using (var r = F.linear(x3, w, b)) Assert.Equal(new long[] { 2, 2, 2 }, r.shape);

        GradCheck.Check(t => F.linear(t[0], t[1], t[2]), R(18, 4, 3), R(19, 2, 3), R(20, 2));
        GradCheck.Check(t => F.linear(t[0], t[1]), R(21, 2, 2, 3), R(22, 5, 3));
        using var w24 = torch.zeros(new long[] { 4, 2 }, ScalarType.Float64);
        Expect.TorchError(() => F.linear(x, w24), "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x4)");
    }

    [Fact]
    public void Relu_and_gelu_forward()
    {
        using var x = torch.tensor(new[] { -2.0, -1, -0.5, 0, 0.5, 1, 2, 3 });
        using (var r = F.relu(x)) Expect.Values(r, new long[] { 8 }, new[] { 0, 0, 0, 0, 0.5, 1, 2, 3 });
        // exact: x * Phi(x)
        using (var r = F.gelu(x)) Expect.Values(r, new long[] { 8 }, new[]
        {
            -0.04550026389635842, -0.15865525393145707, -0.15426876936299344, 0,
            0.34573123063700656, 0.8413447460685429, 1.9544997361036416, 2.99595030590511,
        }, tol: 1e-12);
        // tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        using (var r = F.gelu(x, tanh_approximation: true)) Expect.Values(r, new long[] { 8 }, new[]
        {
            -0.04540230591222494, -0.15880800939172324, -0.15428599017485606, 0,
            0.34571400982514394, 0.8411919906082768, 1.954597694087775, 2.996362607918227,
        }, tol: 1e-12);
    }

    [Fact]
    public void Activation_gradients()
    {
        using var x = torch.tensor(new[] { -2.1, -0.7, 0.3, 0.9, 1.6, -0.2 }, 2, 3);
        GradCheck.Check(t => F.relu(t[0]), x);
        GradCheck.Check(t => F.gelu(t[0]), x);
        GradCheck.Check(t => F.gelu(t[0], tanh_approximation: true), x);
    }

    // ---- pooling --------------------------------------------------------------------------------

    // [[ 1,  9,  2,  3],
    //  [ 4,  0,  8,  7],
    //  [ 6,  5, 11, 10],
    //  [12, 15, 14, 13]]
    private static Tensor P() => D(new double[] { 1, 9, 2, 3, 4, 0, 8, 7, 6, 5, 11, 10, 12, 15, 14, 13 }, 1, 1, 4, 4);

    [Fact]
    public void Max_pool2d_forward()
    {
        using var x = P();
        using (var r = F.max_pool2d(x, 2)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new double[] { 9, 8, 15, 14 });
        using (var r = F.max_pool2d(x, 2, stride: 1)) Expect.Values(r, new long[] { 1, 1, 3, 3 }, new double[] { 9, 9, 8, 6, 11, 11, 15, 15, 14 });
        using (var r = F.max_pool2d(x, 2, stride: 2, padding: 1)) Expect.Values(r, new long[] { 1, 1, 3, 3 }, new double[] { 1, 9, 3, 6, 11, 10, 12, 15, 13 });
        using (var r = F.max_pool2d(x, new long[] { 2, 2 }, new long[] { 1, 1 }, dilation: new long[] { 2, 2 })) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new double[] { 11, 10, 14, 15 });
        using (var r = F.max_pool2d(x, new long[] { 3, 3 }, new long[] { 2, 2 }, ceil_mode: true)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new double[] { 11, 11, 15, 14 });
        using (var r = F.max_pool2d(x, new long[] { 3, 3 }, new long[] { 2, 2 })) Expect.Values(r, new long[] { 1, 1, 1, 1 }, new double[] { 11 });
        using (var r = F.max_pool2d(x, new long[] { 1, 2 })) Expect.Values(r, new long[] { 1, 1, 4, 2 }, new double[] { 9, 3, 4, 8, 6, 11, 15, 14 });
        using var neg = -x;
        using var two = torch.cat(new[] { x, neg }, 1);          // channels pool independently
        using (var r = F.max_pool2d(two, 2)) Expect.Values(r, new long[] { 1, 2, 2, 2 }, new double[] { 9, 8, 15, 14, 0, -2, -5, -10 });
    }

    [Fact]
    public void Avg_pool2d_forward()
    {
        using var x = torch.arange(0.0, 16.0, 1.0, ScalarType.Float64).reshape(1, 1, 4, 4);
        using (var r = F.avg_pool2d(x, 2)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new[] { 2.5, 4.5, 10.5, 12.5 });
        using (var r = F.avg_pool2d(x, 3, stride: 1)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new double[] { 5, 6, 9, 10 });
        // padding counts as zeros by default ...
        using (var r = F.avg_pool2d(x, 2, stride: 2, padding: 1)) Expect.Values(r, new long[] { 1, 1, 3, 3 }, new[] { 0, 0.75, 0.75, 3, 7.5, 4.5, 3, 6.75, 3.75 });
        // ... or is left out of the count
        using (var r = F.avg_pool2d(x, new long[] { 2, 2 }, new long[] { 2, 2 }, new long[] { 1, 1 }, count_include_pad: false))
            Expect.Values(r, new long[] { 1, 1, 3, 3 }, new[] { 0, 1.5, 3, 6, 7.5, 9, 12, 13.5, 15 });
        using (var r = F.avg_pool2d(x, new long[] { 1, 4 })) Expect.Values(r, new long[] { 1, 1, 4, 1 }, new[] { 1.5, 5.5, 9.5, 13.5 });
    }

    [Fact]
    public void Adaptive_avg_pool2d_forward()
    {
        using var x = torch.arange(0.0, 16.0, 1.0, ScalarType.Float64).reshape(1, 1, 4, 4);
        using (var r = F.adaptive_avg_pool2d(x, 2)) Expect.Values(r, new long[] { 1, 1, 2, 2 }, new[] { 2.5, 4.5, 10.5, 12.5 });
        using (var r = F.adaptive_avg_pool2d(x, 1)) Expect.Values(r, new long[] { 1, 1, 1, 1 }, new[] { 7.5 });
        // 4 -> 3: overlapping windows [0, 2), [1, 3), [2, 4) in each direction
        using (var r = F.adaptive_avg_pool2d(x, 3)) Expect.Values(r, new long[] { 1, 1, 3, 3 }, new[] { 2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5 });
        using (var r = F.adaptive_avg_pool2d(x, new long[] { 1, 2 })) Expect.Values(r, new long[] { 1, 1, 1, 2 }, new[] { 6.5, 8.5 });
        using var x3 = x.reshape(1, 4, 4);                        // unbatched input
        using (var r = F.adaptive_avg_pool2d(x3, 1)) Expect.Values(r, new long[] { 1, 1, 1 }, new[] { 7.5 });
    }

    public static TheoryData<string> PoolCases => new() { "max2", "max3_s1_p1", "max_dil_ceil", "avg2", "avg3_p1", "avg_nopad", "adaptive1", "adaptive3", "adaptive_2x1" };

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pool_gradients(string name)
    {
        using var x = R(23, 2, 2, 5, 5);
        Func<Tensor[], Tensor> f = name switch
        {
            "max2" => t => F.max_pool2d(t[0], 2),
            "max3_s1_p1" => t => F.max_pool2d(t[0], 3, stride: 1, padding: 1),
            "max_dil_ceil" => t => F.max_pool2d(t[0], new long[] { 2, 2 }, new long[] { 2, 2 }, new long[] { 0, 0 }, new long[] { 2, 1 }, ceil_mode: true),
            "avg2" => t => F.avg_pool2d(t[0], 2),
            "avg3_p1" => t => F.avg_pool2d(t[0], 3, stride: 2, padding: 1),
            "avg_nopad" => t => F.avg_pool2d(t[0], new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }, ceil_mode: true, count_include_pad: false),
            "adaptive1" => t => F.adaptive_avg_pool2d(t[0], 1),
            "adaptive3" => t => F.adaptive_avg_pool2d(t[0], 3),
            "adaptive_2x1" => t => F.adaptive_avg_pool2d(t[0], new long[] { 2, 1 }),
            _ => throw new ArgumentException(name),
        };
        GradCheck.Check(f, x);
    }

    // ---- softmax ----------------------------------------------------------------------------

    [Fact]
    public void Softmax_and_log_softmax_forward()
    {
        using var x = D(new[] { 0, Ln2, Ln3, 0, 0, 0 }, 2, 3);
        using (var r = F.softmax(x, 1)) Expect.Values(r, new long[] { 2, 3 }, new[] { 1 / 6.0, 1 / 3.0, 0.5, 1 / 3.0, 1 / 3.0, 1 / 3.0 });
        using (var r = F.softmax(x, -1)) Expect.Values(r, new long[] { 2, 3 }, new[] { 1 / 6.0, 1 / 3.0, 0.5, 1 / 3.0, 1 / 3.0, 1 / 3.0 });
        using (var r = F.log_softmax(x, 1)) Expect.Values(r, new long[] { 2, 3 }, new[] { -Ln6, -Ln3, -Ln2, -Ln3, -Ln3, -Ln3 });
        using var y = D(new[] { 0, Ln3, Ln3, 0 }, 2, 2);
        using (var r = F.softmax(y, 0)) Expect.Values(r, new long[] { 2, 2 }, new[] { 0.25, 0.75, 0.75, 0.25 });
        using (var r = F.log_softmax(y, 0)) Expect.Values(r, new long[] { 2, 2 }, new[] { Math.Log(0.25), Math.Log(0.75), Math.Log(0.75), Math.Log(0.25) });
        using var big = torch.tensor(new[] { 1000.0, 1000 });                   // stable for large logits
        using (var r = F.softmax(big, 0)) Expect.Values(r, new long[] { 2 }, new[] { 0.5, 0.5 });
        using (var r = F.log_softmax(big, 0)) Expect.Values(r, new long[] { 2 }, new[] { -Ln2, -Ln2 });
    }

    [Fact]
    public void Softmax_gradients()
    {
        using var x = R(24, 3, 4);
        GradCheck.Check(t => F.softmax(t[0], 1), x);
        GradCheck.Check(t => F.softmax(t[0], 0), x);
        GradCheck.Check(t => F.log_softmax(t[0], -1), x);
        GradCheck.Check(t => F.log_softmax(t[0], 0), x);
    }

    // ---- losses -----------------------------------------------------------------------------

    // Logits with softmax rows [1/6, 1/3, 1/2] and [1/3, 1/3, 1/3].
    private static Tensor Logits() => D(new[] { 0, Ln2, Ln3, 0, 0, 0 }, 2, 3);

    [Fact]
    public void Cross_entropy_with_class_indices()
    {
        using var x = Logits();
        using var y = torch.tensor(new long[] { 2, 0 });               // -log(1/2), -log(1/3)
        using (var r = F.cross_entropy(x, y, reduction: Reduction.None)) Expect.Values(r, new long[] { 2 }, new[] { Ln2, Ln3 });
        using (var r = F.cross_entropy(x, y)) Expect.Values(r, Array.Empty<long>(), new[] { Ln6 / 2 });
        using (var r = F.cross_entropy(x, y, reduction: Reduction.Sum)) Expect.Values(r, Array.Empty<long>(), new[] { Ln6 });

        using var w = torch.tensor(new[] { 1.0, 1, 3 });               // weights of the targets: 3, 1
        using (var r = F.cross_entropy(x, y, w, Reduction.None)) Expect.Values(r, new long[] { 2 }, new[] { 3 * Ln2, Ln3 });
        using (var r = F.cross_entropy(x, y, w)) Expect.Values(r, Array.Empty<long>(), new[] { (3 * Ln2 + Ln3) / 4 });

        using var ignored = torch.tensor(new long[] { 2, -100 });      // -100 is the default ignore_index
        using (var r = F.cross_entropy(x, ignored)) Expect.Values(r, Array.Empty<long>(), new[] { Ln2 });
        using (var r = F.cross_entropy(x, ignored, reduction: Reduction.None)) Expect.Values(r, new long[] { 2 }, new[] { Ln2, 0 });
        using (var r = F.cross_entropy(x, y, ignore_index: 0)) Expect.Values(r, Array.Empty<long>(), new[] { Ln2 });
        using (var r = F.cross_entropy(x, y, ignore_index: 0, reduction: Reduction.Sum)) Expect.Values(r, Array.Empty<long>(), new[] { Ln2 });

        // label smoothing 0.3 over 3 classes: (1 - 0.3) * nll + 0.3 * mean_c(-log p_c)
        double l0 = 0.7 * Ln2 + 0.3 * (Ln6 + Ln3 + Ln2) / 3, l1 = Ln3;
        using (var r = F.cross_entropy(x, y, reduction: Reduction.None, label_smoothing: 0.3)) Expect.Values(r, new long[] { 2 }, new[] { l0, l1 });
        using (var r = F.cross_entropy(x, y, label_smoothing: 0.3)) Expect.Values(r, Array.Empty<long>(), new[] { (l0 + l1) / 2 });
        using (var r = F.cross_entropy(x, ignored, label_smoothing: 0.3)) Expect.Values(r, Array.Empty<long>(), new[] { l0 });

        // spatial: (N, C, d) logits with (N, d) targets
        using var xs = torch.zeros(new long[] { 1, 2, 3 }, ScalarType.Float64);
        using var ys = torch.tensor(new long[] { 0, 1, 1 }, 1, 3);
        using (var r = F.cross_entropy(xs, ys, reduction: Reduction.None)) Expect.Values(r, new long[] { 1, 3 }, new[] { Ln2, Ln2, Ln2 });

        using var bad = torch.tensor(new long[] { 3, 0 });
        Expect.TorchError(() => F.cross_entropy(x, bad), "Target 3 is out of bounds.");
        Assert.Throws<ArgumentException>(() => F.cross_entropy(x, y, reduction: Reduction.BatchMean));
    }

    [Fact]
    public void Cross_entropy_with_class_probabilities()
    {
        using var x = Logits();
        using var p = D(new[] { 0.5, 0.25, 0.25, 0, 1, 0 }, 2, 3);
        double l0 = 0.5 * Ln6 + 0.25 * Ln3 + 0.25 * Ln2, l1 = Ln3;
        using (var r = F.cross_entropy(x, p, reduction: Reduction.None)) Expect.Values(r, new long[] { 2 }, new[] { l0, l1 });
        using (var r = F.cross_entropy(x, p)) Expect.Values(r, Array.Empty<long>(), new[] { (l0 + l1) / 2 });
        using (var r = F.cross_entropy(x, p, reduction: Reduction.Sum)) Expect.Values(r, Array.Empty<long>(), new[] { l0 + l1 });
        // smoothing mixes the target with the uniform distribution: p (1 - 0.3) + 0.3 / 3
        double s0 = 0.45 * Ln6 + 0.275 * Ln3 + 0.275 * Ln2, s1 = Ln3; // row 1 is uniform: -log p = ln 3 for every class
        using (var r = F.cross_entropy(x, p, reduction: Reduction.None, label_smoothing: 0.3)) Expect.Values(r, new long[] { 2 }, new[] { s0, s1 });
    }

    [Fact]
    public void Cross_entropy_gradients()
    {
        using var x = R(25, 3, 4);
        using var y = torch.tensor(new long[] { 1, 3, 0 });
        using var yIgnored = torch.tensor(new long[] { 1, -100, 0 });
        using var w = torch.tensor(new[] { 0.5, 2, 1, 1.5 });
        foreach (var red in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            GradCheck.Check(t => F.cross_entropy(t[0], y, reduction: red), x);
            GradCheck.Check(t => F.cross_entropy(t[0], y, w, red), x);
            GradCheck.Check(t => F.cross_entropy(t[0], yIgnored, reduction: red, label_smoothing: 0.2), x);
        }
        GradCheck.Check(t => F.cross_entropy(t[0], y, ignore_index: 3), x);

        // soft targets: differentiable in both the logits and the probabilities
        using var p = F.softmax(R(26, 3, 4), 1);
        GradCheck.Check(t => F.cross_entropy(t[0], t[1]), x, p);
        GradCheck.Check(t => F.cross_entropy(t[0], t[1], reduction: Reduction.None, label_smoothing: 0.1), x, p);
        GradCheck.Check(t => F.cross_entropy(t[0], t[1], reduction: Reduction.Sum), x, p);
    }

    [Fact]
    public void Nll_loss_forward_and_gradients()
    {
        using var x = D(new[] { -1, -2, -3, -0.5, -1.5, -2.5 }, 2, 3);
        using var y = torch.tensor(new long[] { 1, 0 });
        using (var r = F.nll_loss(x, y, reduction: Reduction.None)) Expect.Values(r, new long[] { 2 }, new[] { 2, 0.5 });
        using (var r = F.nll_loss(x, y)) Expect.Values(r, Array.Empty<long>(), new[] { 1.25 });
        using (var r = F.nll_loss(x, y, reduction: Reduction.Sum)) Expect.Values(r, Array.Empty<long>(), new[] { 2.5 });
        using (var r = F.nll_loss(x, y, ignore_index: 1)) Expect.Values(r, Array.Empty<long>(), new[] { 0.5 });
        using (var r = F.nll_loss(x, y, ignore_index: 1, reduction: Reduction.None)) Expect.Values(r, new long[] { 2 }, new[] { 0, 0.5 });
        using var w = torch.tensor(new[] { 1.0, 2, 1 });
        using (var r = F.nll_loss(x, y, w, Reduction.None)) Expect.Values(r, new long[] { 2 }, new[] { 4, 0.5 });
        using (var r = F.nll_loss(x, y, w)) Expect.Values(r, Array.Empty<long>(), new[] { 4.5 / 3 });

        // (N, C, d) input, as PyTorch's nll_loss accepts
        using var xs = D(new double[] { -1, -2, -3, -4, -5, -6 }, 1, 3, 2);
        using var ys = torch.tensor(new long[] { 0, 2 }, 1, 2);
        using (var r = F.nll_loss(xs, ys)) Expect.Values(r, Array.Empty<long>(), new[] { 3.5 });

        using var bad = torch.tensor(new long[] { 5, 0 });
        Expect.TorchError(() => F.nll_loss(x, bad), "Target 5 is out of bounds.");

        using var xr = R(27, 3, 4);
        using var yr = torch.tensor(new long[] { 2, 0, 3 });
        using var wr = torch.tensor(new[] { 0.5, 2, 1, 1.5 });
        foreach (var red in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            GradCheck.Check(t => F.nll_loss(t[0], yr, reduction: red), xr);
            GradCheck.Check(t => F.nll_loss(t[0], yr, wr, red, ignore_index: 0), xr);
        }
        using var xsr = R(28, 2, 3, 2);
        using var ysr = torch.tensor(new long[] { 0, 2, 1, 1 }, 2, 2);
        GradCheck.Check(t => F.nll_loss(t[0], ysr), xsr);
    }

    [Fact]
    public void Kl_div_forward_for_every_reduction()
    {
        using var input = D(new[] { Math.Log(0.5), Math.Log(0.5), Math.Log(0.25), Math.Log(0.75) }, 2, 2);
        using var target = D(new[] { 0.25, 0.75, 0.5, 0.5 }, 2, 2);
        // target * (log target - input)
        var e = new[] { 0.25 * Math.Log(0.5), 0.75 * Math.Log(1.5), 0.5 * Math.Log(2), 0.5 * Math.Log(2.0 / 3) };
        double sum = e.Sum();
        using (var r = F.kl_div(input, target, Reduction.None)) Expect.Values(r, new long[] { 2, 2 }, e);
        using (var r = F.kl_div(input, target, Reduction.Sum)) Expect.Values(r, Array.Empty<long>(), new[] { sum });
        using (var r = F.kl_div(input, target, Reduction.Mean)) Expect.Values(r, Array.Empty<long>(), new[] { sum / 4 });
        using (var r = F.kl_div(input, target, Reduction.BatchMean)) Expect.Values(r, Array.Empty<long>(), new[] { sum / 2 });
        using var logTarget = target.log();
        using (var r = F.kl_div(input, logTarget, Reduction.None, log_target: true)) Expect.Values(r, new long[] { 2, 2 }, e);
        using (var r = F.kl_div(input, logTarget, Reduction.BatchMean, log_target: true)) Expect.Values(r, Array.Empty<long>(), new[] { sum / 2 });

        using var withZero = D(new[] { 0.0, 1, 0.5, 0.5 }, 2, 2);  // 0 * log 0 counts as 0
        using (var r = F.kl_div(input, withZero, Reduction.None)) Expect.Values(r, new long[] { 2, 2 }, new[] { 0, Ln2, 0.5 * Ln2, 0.5 * Math.Log(2.0 / 3) });
        using var rows3 = D(new[] { -1.0, -2, -3 }, 3);              // batchmean divides by size(0)
        using var t3 = D(new[] { 0.2, 0.3, 0.5 }, 3);
        double s3 = 0.2 * (Math.Log(0.2) + 1) + 0.3 * (Math.Log(0.3) + 2) + 0.5 * (Math.Log(0.5) + 3);
        using (var r = F.kl_div(rows3, t3, Reduction.BatchMean)) Expect.Values(r, Array.Empty<long>(), new[] { s3 / 3 });
    }

    [Fact]
    public void Kl_div_gradients()
    {
        using var input = F.log_softmax(R(29, 3, 4), 1);
        using var target = F.softmax(R(30, 3, 4), 1);
        using var logTarget = F.log_softmax(R(31, 3, 4), 1);
        foreach (var red in new[] { Reduction.None, Reduction.Mean, Reduction.Sum, Reduction.BatchMean })
        {
            GradCheck.Check(t => F.kl_div(t[0], t[1], red), input, target);
            GradCheck.Check(t => F.kl_div(t[0], t[1], red, log_target: true), input, logTarget);
        }
    }

    [Fact]
    public void Mse_loss_forward_and_gradients()
    {
        using var a = torch.tensor(new[] { 1.0, 2, 3 });
        using var b = torch.tensor(new[] { 1.5, 2, 1 });
        using (var r = F.mse_loss(a, b, Reduction.None)) Expect.Values(r, new long[] { 3 }, new[] { 0.25, 0, 4 });
        using (var r = F.mse_loss(a, b)) Expect.Values(r, Array.Empty<long>(), new[] { 4.25 / 3 });
        using (var r = F.mse_loss(a, b, Reduction.Sum)) Expect.Values(r, Array.Empty<long>(), new[] { 4.25 });
        Assert.Throws<ArgumentException>(() => F.mse_loss(a, b, Reduction.BatchMean));
        foreach (var red in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
            GradCheck.Check(t => F.mse_loss(t[0], t[1], red), R(32, 2, 3), R(33, 2, 3));
    }
}

/// <summary>Dropout draws from the global generator, so it runs with the other global-state tests.</summary>
[Collection(ProcessWideStateCollection.Name)]
public class DropoutTests
{
    [Fact]
    public void Training_dropout_zeroes_about_p_and_scales_survivors()
    {
        torch.manual_seed(123);
        using var x = torch.ones(10000);
        using var y = F.dropout(x, 0.25);
        var v = y.ToArray<float>();
        double zeros = v.Count(e => e == 0) / (double)v.Length;
        Assert.InRange(zeros, 0.23, 0.27);
        Assert.All(v.Where(e => e != 0), e => Assert.Equal(4f / 3, e, 1e-6f));   // 1 / (1 - p)
        Assert.Equal(new float[10000].Select(_ => 1f), x.ToArray<float>());   // out of place

        torch.manual_seed(123);
        using var again = F.dropout(x, 0.25);
        Assert.True(again.equal(y));                                          // same seed, same mask
        using var next = F.dropout(x, 0.25);
        Assert.False(next.equal(y));

        using var z = F.dropout(x, 0.75);
        double zeros75 = z.ToArray<float>().Count(e => e == 0) / 10000.0;
        Assert.InRange(zeros75, 0.73, 0.77);
        Assert.All(z.ToArray<float>().Where(e => e != 0), e => Assert.Equal(4f, e, 1e-5f));
    }

    [Fact]
    public void Eval_dropout_and_edge_probabilities()
    {
        torch.manual_seed(1);
        using var x = torch.tensor(new float[] { 1, -2, 3, 4 });
        using (var r = F.dropout(x, 0.5, training: false)) Assert.True(r.equal(x));
        using (var r = F.dropout(x, 0.0)) Assert.True(r.equal(x));
        using (var r = F.dropout(x, 1.0)) Expect.Values(r, new double[] { 0, 0, 0, 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => F.dropout(x, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.dropout(x, -0.1));
    }

    [Fact]
    public void Dropout_gradient_is_the_mask_scaled()
    {
        using var x = FunctionalTests.R(34, 4, 5);
        GradCheck.Check(t =>
        {
            torch.manual_seed(77);                                            // the same mask on every evaluation
            return F.dropout(t[0], 0.4);
        }, x);
        GradCheck.Check(t => F.dropout(t[0], 0.4, training: false), x);
    }
}
