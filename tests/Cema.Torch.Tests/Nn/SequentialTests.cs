using Cema.Torch.Modules;

namespace Cema.Torch.Tests.Nn;

public class SequentialTests
{
    [Fact]
    public void Children_are_named_by_position_and_nested_names_are_dotted()
    {
        using var seq = torch.nn.Sequential(
            torch.nn.Conv2d(1, 2, 3),
            torch.nn.ReLU(),
            torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(8, 3)));
        Assert.Equal(new[] { "0", "1", "2" }, seq.named_children().Select(c => c.name));
        Assert.Equal(new[] { "0.weight", "0.bias", "2.1.weight", "2.1.bias" }, seq.named_parameters().Select(p => p.name));
        Assert.Equal(3, seq.Count);
        Assert.IsType<ReLU>(seq[1]);
    }

    [Fact]
    public void Named_children_keep_their_names_and_append_continues_by_position()
    {
        using var seq = torch.nn.Sequential(new (string, Module)[] { ("features", torch.nn.Linear(4, 4)), ("act", torch.nn.ReLU()) });
        seq.append(torch.nn.Linear(4, 2));
        Assert.Equal(new[] { "features", "act", "2" }, seq.named_children().Select(c => c.name));
        Assert.Equal(new[] { "features.weight", "features.bias", "2.weight", "2.bias" }, seq.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void Forward_applies_the_children_in_order()
    {
        using var first = torch.nn.Linear(3, 4);
        using var second = torch.nn.Linear(4, 2);
        using var seq = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2));
        using var scope = torch.NewDisposeScope();
        seq.load_state_dict(new Dictionary<string, Tensor>
        {
            ["0.weight"] = first.weight, ["0.bias"] = first.bias!, ["2.weight"] = second.weight, ["2.bias"] = second.bias!,
        });
        using var g = new Generator(3);
        var x = torch.randn(new long[] { 5, 3 }, generator: g);

        var expected = second.call(first.call(x).relu());
        Assert.True(seq.call(x).equal(expected));
    }

    [Fact]
    public void Forward_returns_a_tensor_the_caller_owns_even_when_every_child_passes_the_input_through()
    {
        using var seq = torch.nn.Sequential(torch.nn.Identity(), torch.nn.Identity());
        using var empty = torch.nn.Sequential();
        using var x = torch.ones(2);
        using (var y = seq.call(x)) Assert.NotSame(x, y);
        using (var y = empty.call(x)) Assert.NotSame(x, y);
        Assert.False(x.IsDisposed);
        Assert.Equal(new float[] { 1, 1 }, x.ToArray<float>());
    }
}
