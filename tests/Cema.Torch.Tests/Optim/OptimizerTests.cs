using Cema.Torch.Modules;
using Cema.Torch.Optim;

namespace Cema.Torch.Tests.Optim;

public class OptimizerTests
{
    private static Sequential TwoLayers() => torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2));

    private static void ForwardBackward(Module model, ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(seed);
        var x = torch.randn(new long[] { 5, 3 }, generator: g);
        var target = torch.randint(0, 2, new long[] { 5 }, generator: g);
        torch.nn.functional.cross_entropy(model.call(x), target).backward();
    }

    public static TheoryData<string, Func<IEnumerable<Tensor>, Optimizer>> Optimizers => new()
    {
        { "SGD momentum", p => torch.optim.SGD(p, lr: 0.1, momentum: 0.9, weight_decay: 0.01) },
        { "SGD nesterov", p => torch.optim.SGD(p, lr: 0.1, momentum: 0.9, nesterov: true) },
        { "Adam", p => torch.optim.Adam(p, lr: 0.01, weight_decay: 0.01) },
        { "Adam amsgrad", p => torch.optim.Adam(p, lr: 0.01, amsgrad: true) },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Only_the_chosen_parameters_change(string name, Func<IEnumerable<Tensor>, Optimizer> make)
    {
        using var model = TwoLayers();
        using var optimizer = make(model[0].parameters());
        using var scope = torch.NewDisposeScope();
        var before = model.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());

        ForwardBackward(model, 1);
        optimizer.step();

        var after = model.state_dict();
        Assert.NotNull(model[2].parameters().First().grad);
        Assert.True(after["2.weight"].equal(before["2.weight"]), $"{name} changed 2.weight");
        Assert.True(after["2.bias"].equal(before["2.bias"]), $"{name} changed 2.bias");
        Assert.False(after["0.weight"].equal(before["0.weight"]), $"{name} left 0.weight alone");
        Assert.False(after["0.bias"].equal(before["0.bias"]), $"{name} left 0.bias alone");
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Restored_state_gives_the_identical_next_step(string name, Func<IEnumerable<Tensor>, Optimizer> make)
    {
        using var original = TwoLayers();
        using var restored = TwoLayers();
        using var fresh = TwoLayers();
        using var originalOptimizer = make(original.parameters());
        for (ulong s = 0; s < 3; s++)
        {
            originalOptimizer.zero_grad();
            ForwardBackward(original, s);
            originalOptimizer.step();
        }

        using var scope = torch.NewDisposeScope();
        restored.load_state_dict(original.state_dict());
        fresh.load_state_dict(original.state_dict());
        using var restoredOptimizer = make(restored.parameters());
        using var freshOptimizer = make(fresh.parameters());
        restoredOptimizer.load_state_dict(originalOptimizer.state_dict());

        foreach (var (model, optimizer) in new[] { (original, originalOptimizer), (restored, restoredOptimizer), (fresh, freshOptimizer) })
        {
            optimizer.zero_grad();
            ForwardBackward(model, 99);
            optimizer.step();
        }

        var expected = original.state_dict();
        foreach (var (key, value) in restored.state_dict()) Assert.True(value.equal(expected[key]), $"{name}: {key} differs after restoring");
        // Without the restored state the step differs, so the comparison above is not vacuous.
        Assert.False(fresh.state_dict()["0.weight"].equal(expected["0.weight"]), $"{name}: state made no difference");
    }

    [Fact]
    public void Loaded_state_is_a_copy_independent_of_the_dictionary()
    {
        using var p = torch.tensor(new float[] { 1, 2 }).requires_grad_();
        using var sgd = torch.optim.SGD(new[] { p }, lr: 0.1, momentum: 0.9);
        using var buffer = torch.tensor(new float[] { 5, 5 });
        sgd.load_state_dict(new Dictionary<string, Tensor> { ["0.momentum_buffer"] = buffer });
        buffer.fill_(0);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new float[] { 5, 5 }, sgd.state_dict()["0.momentum_buffer"].ToArray<float>());
    }

    [Fact]
    public void Loading_rejects_unknown_names_indices_and_shapes_and_keeps_the_old_state()
    {
        using var p = torch.zeros(new long[] { 2 }, requires_grad: true);
        using var sgd = torch.optim.SGD(new[] { p }, lr: 0.1, momentum: 0.9);
        using var adam = torch.optim.Adam(new[] { p });
        using var scope = torch.NewDisposeScope();
        sgd.load_state_dict(new Dictionary<string, Tensor> { ["0.momentum_buffer"] = torch.ones(2) });

        Assert.Contains("no state named 'exp_avg'", Assert.Throws<ArgumentException>(() => sgd.load_state_dict(new Dictionary<string, Tensor> { ["0.exp_avg"] = torch.ones(2) })).Message);
        Assert.Contains("names parameter 1", Assert.Throws<ArgumentException>(() => sgd.load_state_dict(new Dictionary<string, Tensor> { ["1.momentum_buffer"] = torch.ones(2) })).Message);
        Assert.Contains("not of the form", Assert.Throws<ArgumentException>(() => sgd.load_state_dict(new Dictionary<string, Tensor> { ["step"] = torch.ones(1) })).Message);
        Assert.Contains("has shape [3], its parameter has shape [2]", Assert.Throws<ArgumentException>(() => sgd.load_state_dict(new Dictionary<string, Tensor> { ["0.momentum_buffer"] = torch.ones(3) })).Message);
        Assert.Contains("lacks exp_avg_sq", Assert.Throws<ArgumentException>(() => adam.load_state_dict(new Dictionary<string, Tensor> { ["0.step"] = torch.ones(1), ["0.exp_avg"] = torch.ones(2) })).Message);

        Assert.Equal(new float[] { 1, 1 }, sgd.state_dict()["0.momentum_buffer"].ToArray<float>());
    }

    [Fact]
    public void Parameters_without_a_gradient_are_skipped()
    {
        using var a = torch.tensor(new float[] { 1 }).requires_grad_();
        using var b = torch.tensor(new float[] { 1 }).requires_grad_();
        using var adam = torch.optim.Adam(new[] { a, b }, lr: 0.1);
        using (var g = torch.ones(1)) a.grad = g;
        adam.step();
        Assert.Equal(1f, b.item<float>());
        using var scope = torch.NewDisposeScope();
        Assert.DoesNotContain(adam.state_dict().Keys, k => k.StartsWith("1."));
    }

    [Fact]
    public void Zero_grad_drops_or_zeroes_only_the_optimizer_parameters()
    {
        using var model = TwoLayers();
        using var optimizer = torch.optim.SGD(model[0].parameters(), lr: 0.1);
        ForwardBackward(model, 1);
        optimizer.zero_grad(set_to_none: false);
        using (var g = model[0].parameters().First().grad) Assert.All(g!.ToArray<float>(), v => Assert.Equal(0f, v));
        optimizer.zero_grad();
        Assert.Null(model[0].parameters().First().grad);
        using (var g = model[2].parameters().First().grad) Assert.NotNull(g);
    }

    [Fact]
    public void Construction_rejects_empty_duplicate_and_non_leaf_parameters()
    {
        using var p = torch.zeros(new long[] { 1 }, requires_grad: true);
        using var q = p * 2;
        Assert.Throws<ArgumentException>(() => torch.optim.SGD(Array.Empty<Tensor>(), lr: 0.1));
        Assert.Throws<ArgumentException>(() => torch.optim.SGD(new[] { p, p }, lr: 0.1));
        Assert.Throws<ArgumentException>(() => torch.optim.Adam(new[] { q }));
    }
}
