using Cema.Torch.Modules;

namespace Cema.Torch.Tests.Nn;

public class ModuleTests
{
    /// <summary>A residual-style block as torchvision names its layers (conv1, bn1).</summary>
    private sealed class Block : Module
    {
        public Block(long channels)
        {
            RegisterModule("conv1", torch.nn.Conv2d(channels, channels, 3, padding: 1, bias: false));
            RegisterModule("bn1", torch.nn.BatchNorm2d(channels));
        }

        public override Tensor forward(Tensor input)
        {
            using var c = GetModule("conv1").call(input);
            using var b = GetModule("bn1").call(c);
            return b.relu();
        }
    }

    /// <summary>Registers its own parameter and buffer after its children, to show they still come first in state_dict.</summary>
    private sealed class Net : Module
    {
        public Net()
        {
            RegisterModule("stem", torch.nn.Conv2d(1, 4, 3));
            RegisterModule("layer1", torch.nn.Sequential(new Block(4), new Block(4)));
            RegisterModule("fc", torch.nn.Linear(4, 10));
            RegisterParameter("temperature", torch.ones(1));
            RegisterBuffer("class_counts", torch.zeros(10));
        }

        public override Tensor forward(Tensor input) => throw new NotSupportedException();
    }

    // Written from what PyTorch's state_dict() gives for the same module tree.
    private static readonly (string key, long[] shape)[] ExpectedStateDict =
    {
        ("temperature", new long[] { 1 }),
        ("class_counts", new long[] { 10 }),
        ("stem.weight", new long[] { 4, 1, 3, 3 }),
        ("stem.bias", new long[] { 4 }),
        ("layer1.0.conv1.weight", new long[] { 4, 4, 3, 3 }),
        ("layer1.0.bn1.weight", new long[] { 4 }),
        ("layer1.0.bn1.bias", new long[] { 4 }),
        ("layer1.0.bn1.running_mean", new long[] { 4 }),
        ("layer1.0.bn1.running_var", new long[] { 4 }),
        ("layer1.0.bn1.num_batches_tracked", new long[0]),
        ("layer1.1.conv1.weight", new long[] { 4, 4, 3, 3 }),
        ("layer1.1.bn1.weight", new long[] { 4 }),
        ("layer1.1.bn1.bias", new long[] { 4 }),
        ("layer1.1.bn1.running_mean", new long[] { 4 }),
        ("layer1.1.bn1.running_var", new long[] { 4 }),
        ("layer1.1.bn1.num_batches_tracked", new long[0]),
        ("fc.weight", new long[] { 10, 4 }),
        ("fc.bias", new long[] { 10 }),
    };

    [Fact]
    public void State_dict_keys_order_and_shapes_match_PyTorch()
    {
        using var net = new Net();
        using var scope = torch.NewDisposeScope();
        var sd = net.state_dict();
        Assert.Equal(ExpectedStateDict.Select(e => e.key), sd.Keys);
        foreach (var (key, shape) in ExpectedStateDict) Assert.Equal(shape, sd[key].shape);
        Assert.Equal(ScalarType.Int64, sd["layer1.0.bn1.num_batches_tracked"].dtype);
    }

    [Fact]
    public void Named_parameters_and_buffers_are_the_state_dict_split_by_kind()
    {
        using var net = new Net();
        string[] bufferNames = { "class_counts", "running_mean", "running_var", "num_batches_tracked" };
        bool IsBuffer(string key) => bufferNames.Any(b => key == b || key.EndsWith("." + b));

        Assert.Equal(ExpectedStateDict.Select(e => e.key).Where(k => !IsBuffer(k)), net.named_parameters().Select(p => p.name));
        Assert.Equal(ExpectedStateDict.Select(e => e.key).Where(IsBuffer), net.named_buffers().Select(b => b.name));
        Assert.Equal(net.named_parameters().Select(p => p.parameter), net.parameters());
        Assert.All(net.parameters(), p => Assert.True(p.requires_grad && p.is_leaf));
        Assert.All(net.buffers(), b => Assert.False(b.requires_grad));
    }

    [Fact]
    public void Named_modules_is_depth_first_with_dotted_names_and_children_are_direct()
    {
        using var net = new Net();
        Assert.Equal(
            new[] { "", "stem", "layer1", "layer1.0", "layer1.0.conv1", "layer1.0.bn1", "layer1.1", "layer1.1.conv1", "layer1.1.bn1", "fc" },
            net.named_modules().Select(m => m.name));
        Assert.Equal(new[] { "stem", "layer1", "fc" }, net.named_children().Select(c => c.name));
        Assert.IsType<Modules.Linear>(net.named_children().Last().module);
    }

    [Fact]
    public void Non_recursive_listing_holds_only_the_module_own_members()
    {
        using var net = new Net();
        Assert.Equal(new[] { "temperature" }, net.named_parameters(recurse: false).Select(p => p.name));
        Assert.Equal(new[] { "class_counts" }, net.named_buffers(recurse: false).Select(b => b.name));
    }

    [Fact]
    public void A_module_registered_twice_is_listed_once_but_saved_under_both_names()
    {
        var shared = torch.nn.Linear(2, 2);
        using var seq = torch.nn.Sequential(shared, shared);
        Assert.Equal(new[] { "0.weight", "0.bias" }, seq.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "", "0" }, seq.named_modules().Select(m => m.name));
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }, seq.state_dict().Keys);
    }

    [Fact]
    public void Null_parameters_and_non_persistent_buffers_are_not_saved()
    {
        using var conv = torch.nn.Conv2d(1, 2, 3, bias: false);
        Assert.Null(conv.bias);
        Assert.Equal(new[] { "weight" }, conv.named_parameters().Select(p => p.name));

        conv.RegisterBuffer("cache", torch.zeros(2), persistent: false);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { "weight" }, conv.state_dict().Keys);
        Assert.Equal(new[] { "cache" }, conv.named_buffers().Select(b => b.name));
    }

    [Fact]
    public void Registration_rejects_bad_and_clashing_names_and_non_leaf_parameters()
    {
        using var linear = torch.nn.Linear(2, 2);
        Assert.Contains("can't contain \".\"", Assert.Throws<ArgumentException>(() => linear.RegisterParameter("a.b", torch.zeros(1))).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => linear.RegisterBuffer("", torch.zeros(1))).Message);
        Assert.Contains("attribute 'weight' already exists", Assert.Throws<ArgumentException>(() => linear.RegisterBuffer("weight", torch.zeros(1))).Message);

        using var leaf = torch.ones(new long[] { 2 }, requires_grad: true);
        using var computed = leaf * 2;
        Assert.Contains("non-leaf", Assert.Throws<ArgumentException>(() => linear.RegisterParameter("scale", computed)).Message);
    }

    [Fact]
    public void Parameters_created_inside_a_dispose_scope_outlive_it()
    {
        Modules.Linear linear;
        using (torch.NewDisposeScope())
        {
            linear = torch.nn.Linear(3, 2);
        }
        using (linear)
        {
            Assert.False(linear.weight.IsDisposed);
            Assert.False(linear.bias!.IsDisposed);
            using var x = torch.ones(1, 3);
            using var y = linear.call(x);
            Assert.Equal(new long[] { 1, 2 }, y.shape);
        }
        Assert.True(linear.weight.IsDisposed);
    }

    [Fact]
    public void State_dict_values_are_detached_views_the_caller_may_dispose()
    {
        using var linear = torch.nn.Linear(3, 2);
        var sd = linear.state_dict();
        var w = sd["weight"];
        Assert.False(w.requires_grad);
        Assert.True(w.is_alias_of(linear.weight));
        foreach (var t in sd.Values) t.Dispose();
        Assert.False(linear.weight.IsDisposed);
    }

    [Fact]
    public void Train_and_eval_switch_the_whole_tree()
    {
        using var net = new Net();
        Assert.All(net.modules(), m => Assert.True(m.training));
        Assert.Same(net, net.eval());
        Assert.All(net.modules(), m => Assert.False(m.training));
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void Zero_grad_drops_or_zeroes_gradients()
    {
        using var linear = torch.nn.Linear(3, 2);
        using var x = torch.ones(4, 3);
        void Backward()
        {
            using var y = linear.call(x);
            using var loss = y.sum();
            loss.backward();
        }

        Backward();
        linear.zero_grad(set_to_none: false);
        using (var g = linear.weight.grad)
        {
            Assert.NotNull(g);
            Assert.All(g!.ToArray<float>(), v => Assert.Equal(0f, v));
        }

        Backward();
        linear.zero_grad();
        Assert.Null(linear.weight.grad);
        Assert.Null(linear.bias!.grad);
    }

    [Fact]
    public void ToString_prints_the_tree_like_PyTorch()
    {
        using var seq = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding: 1), torch.nn.ReLU(), torch.nn.Linear(4, 2, bias: false));
        Assert.Equal(
            "Sequential(\n" +
            "  (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n" +
            "  (1): ReLU()\n" +
            "  (2): Linear(in_features=4, out_features=2, bias=False)\n" +
            ")",
            seq.ToString());
    }
}
