using Cema.Torch.Modules;

namespace Cema.Torch.Tests.Nn;

public class StateDictTests
{
    private static Sequential SmallNet() => torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.Flatten(), torch.nn.Linear(2, 3));

    [Fact]
    public void Loading_copies_every_value_in_place()
    {
        using var source = SmallNet();
        using var target = SmallNet();
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad()) source.named_buffers().First(b => b.name == "1.running_mean").buffer.fill_(0.25);

        var weightBefore = target.named_parameters().First().parameter;
        var result = target.load_state_dict(source.state_dict());

        Assert.Empty(result.missing_keys);
        Assert.Empty(result.unexpected_keys);
        var sourceState = source.state_dict();
        foreach (var (key, value) in target.state_dict()) Assert.True(value.equal(sourceState[key]), key);
        Assert.Same(weightBefore, target.named_parameters().First().parameter);
        Assert.True(weightBefore.requires_grad && weightBefore.is_leaf);
    }

    [Fact]
    public void Strict_load_lists_missing_and_unexpected_keys_and_both_shapes_of_a_mismatch()
    {
        using var net = SmallNet();
        using var scope = torch.NewDisposeScope();
        var sd = net.state_dict();
        sd.Remove("1.running_var");
        sd.Remove("3.bias");
        sd["1.extra"] = torch.zeros(2);
        sd["0.weight"] = torch.zeros(2, 1, 5, 5);
        using var weightBefore = net.named_parameters().First().parameter.clone();

        var e = Assert.Throws<LoadStateDictException>(() => net.load_state_dict(sd));

        Assert.Equal(new[] { "1.running_var", "3.bias" }, e.MissingKeys);
        Assert.Equal(new[] { "1.extra" }, e.UnexpectedKeys);
        var mismatch = Assert.Single(e.SizeMismatches);
        Assert.Equal("0.weight", mismatch.Key);
        Assert.Equal(new long[] { 2, 1, 5, 5 }, mismatch.CheckpointShape);
        Assert.Equal(new long[] { 2, 1, 3, 3 }, mismatch.ModelShape);
        Assert.Contains("Error(s) in loading state_dict for Sequential", e.Message);
        Assert.Contains("Missing key(s) in state_dict: \"1.running_var\", \"3.bias\".", e.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"1.extra\".", e.Message);
        Assert.Contains("size mismatch for 0.weight: copying a param with shape [2, 1, 5, 5] from checkpoint, the shape in current model is [2, 1, 3, 3].", e.Message);
        // Nothing was copied: a refused load leaves the module as it was.
        Assert.True(net.named_parameters().First().parameter.equal(weightBefore));
    }

    [Fact]
    public void Non_strict_load_reports_keys_and_copies_what_matches()
    {
        using var source = SmallNet();
        using var target = SmallNet();
        using var scope = torch.NewDisposeScope();
        var sd = source.state_dict();
        sd.Remove("3.weight");
        sd["head.weight"] = torch.zeros(1);

        var result = target.load_state_dict(sd, strict: false);

        Assert.Equal(new[] { "3.weight" }, result.missing_keys);
        Assert.Equal(new[] { "head.weight" }, result.unexpected_keys);
        Assert.True(target.state_dict()["0.weight"].equal(sd["0.weight"]));
    }

    [Fact]
    public void Non_strict_load_still_refuses_a_shape_mismatch()
    {
        using var net = SmallNet();
        using var scope = torch.NewDisposeScope();
        var sd = new Dictionary<string, Tensor> { ["3.bias"] = torch.zeros(4) };
        var e = Assert.Throws<LoadStateDictException>(() => net.load_state_dict(sd, strict: false));
        Assert.Equal("3.bias", Assert.Single(e.SizeMismatches).Key);
        Assert.Empty(e.MissingKeys);
    }

    [Fact]
    public void Loading_converts_dtype_and_keeps_the_module_dtype()
    {
        using var linear = torch.nn.Linear(2, 1);
        using var scope = torch.NewDisposeScope();
        var sd = new Dictionary<string, Tensor>
        {
            ["weight"] = torch.tensor(new double[] { 0.5, -1.5 }, 1, 2),
            ["bias"] = torch.tensor(new double[] { 2 }),
        };
        linear.load_state_dict(sd);
        Assert.Equal(ScalarType.Float32, linear.weight.dtype);
        Assert.Equal(new float[] { 0.5f, -1.5f }, linear.weight.ToArray<float>());
    }
}
