using Cema.Torch.Modules;

namespace Cema.Torch.Tests.Nn;

public class LayerTests
{
    private static Tensor RandomInput(ulong seed, params long[] shape)
    {
        using var g = new Generator(seed);
        return torch.randn(shape, generator: g);
    }

    [Fact]
    public void Conv2d_forward_is_functional_conv2d_with_its_weights()
    {
        using var conv = torch.nn.Conv2d(4, 6, (3, 2), stride: (2, 1), padding: (1, 0), dilation: (1, 2), groups: 2);
        Assert.Equal(new long[] { 6, 2, 3, 2 }, conv.weight.shape);
        using var scope = torch.NewDisposeScope();
        var x = RandomInput(1, 2, 4, 7, 7);
        var expected = torch.nn.functional.conv2d(x, conv.weight, conv.bias, new long[] { 2, 1 }, new long[] { 1, 0 }, new long[] { 1, 2 }, groups: 2);
        var y = conv.call(x);
        Assert.Equal(new long[] { 2, 6, 4, 5 }, y.shape);
        Assert.True(y.equal(expected));
    }

    [Fact]
    public void Linear_forward_is_x_times_weight_transposed_plus_bias()
    {
        using var linear = torch.nn.Linear(5, 3);
        using var scope = torch.NewDisposeScope();
        var x = RandomInput(2, 4, 5);
        Assert.True(linear.call(x).equal(torch.nn.functional.linear(x, linear.weight, linear.bias)));
        Assert.True(linear.call(x).allclose(x.matmul(linear.weight.t()) + linear.bias!, rtol: 1e-5, atol: 1e-6));
    }

    public static TheoryData<string, Func<Module>, double> DefaultInits => new()
    {
        // fan_in = in_channels / groups * kH * kW
        { "Conv2d(3, 8, 5)", () => torch.nn.Conv2d(3, 8, 5), 1 / Math.Sqrt(3 * 5 * 5) },
        { "Conv2d(4, 8, 3, groups 2)", () => torch.nn.Conv2d(4, 8, 3, groups: 2), 1 / Math.Sqrt(2 * 3 * 3) },
        { "Linear(50, 40)", () => torch.nn.Linear(50, 40), 1 / Math.Sqrt(50) },
    };

    [Theory]
    [MemberData(nameof(DefaultInits))]
    public void Default_init_is_uniform_within_one_over_sqrt_fan_in(string layer, Func<Module> make, double bound)
    {
        using var module = make();
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var (weight, bias) = (parameters["weight"], parameters["bias"]);
        var w = weight.ToArray<float>().Select(v => (double)v).ToArray();
        var b = bias.ToArray<float>().Select(v => (double)v).ToArray();
        double limit = bound * (1 + 1e-6);
        Assert.All(w, v => Assert.True(Math.Abs(v) <= limit, $"{layer}: weight {v} outside ±{bound}"));
        Assert.All(b, v => Assert.True(Math.Abs(v) <= limit, $"{layer}: bias {v} outside ±{bound}"));
        // Uniform on ±bound: the extremes come close to the bound and the spread is bound/sqrt(3).
        Assert.True(w.Max() > 0.8 * bound && w.Min() < -0.8 * bound, $"{layer}: weights span [{w.Min()}, {w.Max()}] only");
        double mean = w.Average(), std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(std, 0.85 * bound / Math.Sqrt(3), 1.15 * bound / Math.Sqrt(3));
        Assert.True(b.Distinct().Count() == b.Length, $"{layer}: bias values repeat");
    }

    [Fact]
    public void Pools_flatten_and_identity_match_their_functional_forms()
    {
        using var scope = torch.NewDisposeScope();
        var x = RandomInput(4, 2, 3, 6, 6);
        Assert.True(torch.nn.MaxPool2d(2).call(x).equal(torch.nn.functional.max_pool2d(x, 2)));
        Assert.Equal(new long[] { 2, 3, 3, 3 }, torch.nn.MaxPool2d(3, stride: 2, padding: 1).call(x).shape);
        Assert.True(torch.nn.AvgPool2d(3).call(x).equal(torch.nn.functional.avg_pool2d(x, 3)));
        Assert.True(torch.nn.AdaptiveAvgPool2d(1).call(x).allclose(x.mean(new long[] { 2, 3 }, keepdim: true), atol: 1e-6));
        Assert.Equal(new long[] { 2, 108 }, torch.nn.Flatten().call(x).shape);
        var same = torch.nn.Identity().call(x);
        Assert.NotSame(x, same);
        Assert.True(same.is_alias_of(x));
        Assert.True(torch.nn.ReLU().call(x).equal(x.relu()));
    }

    [Fact]
    public void Dropout_zeroes_and_rescales_while_training_and_passes_through_in_eval()
    {
        using var dropout = torch.nn.Dropout(0.5);
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1000);
        var kept = dropout.call(x).ToArray<float>();
        Assert.All(kept, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(kept.Count(v => v == 0f), 350, 650);
        dropout.eval();
        Assert.True(dropout.call(x).equal(x));
    }

    [Fact]
    public void In_place_relu_overwrites_its_input()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { -1, 2 });
        var y = torch.nn.ReLU(inplace: true).call(x);
        Assert.Equal(new float[] { 0, 2 }, x.ToArray<float>());
        Assert.True(y.is_alias_of(x));
    }

    [Fact]
    public void Conv2d_rejects_channels_not_divisible_by_groups()
    {
        Assert.Throws<ArgumentException>(() => torch.nn.Conv2d(3, 4, 3, groups: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => torch.nn.Conv2d(2, 4, 0));
    }
}

[Collection(ProcessWideStateCollection.Name)]
public class LayerInitSeedTests
{
    [Fact]
    public void Init_draws_from_the_global_generator_so_manual_seed_reproduces_it()
    {
        torch.manual_seed(7);
        using var a = torch.nn.Conv2d(2, 3, 3);
        torch.manual_seed(7);
        using var b = torch.nn.Conv2d(2, 3, 3);
        using var c = torch.nn.Conv2d(2, 3, 3);
        Assert.True(a.weight.equal(b.weight));
        Assert.True(a.bias!.equal(b.bias!));
        Assert.False(a.weight.equal(c.weight));
    }

    [Fact]
    public void Disposing_a_module_releases_every_tensor_it_owns()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = torch.live_tensors;
        var net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Linear(2, 2));
        Assert.Equal(before + 2 + 5 + 2, torch.live_tensors);
        net.Dispose();
        Assert.Equal(before, torch.live_tensors);
    }
}
