using Cema.Torch;

namespace Cema.Torch.Tests.Ops;

public class AutogradTests
{
    private static Tensor Leaf(params double[] v) => torch.tensor(v).requires_grad_();

    [Fact]
    public void Leaves_and_results_report_requires_grad_is_leaf_and_grad_fn()
    {
        using var x = Leaf(1, 2, 3);
        Assert.True(x.requires_grad);
        Assert.True(x.is_leaf);
        Assert.False(x.has_grad_fn);
        using var y = x * x;
        Assert.True(y.requires_grad);
        Assert.False(y.is_leaf);
        Assert.True(y.has_grad_fn);

        using var c = torch.tensor(new[] { 1.0, 2.0 });
        Assert.False(c.requires_grad);
        Assert.True(c.is_leaf);
        using var c2 = c * 2;
        Assert.False(c2.requires_grad);
        Assert.False(c2.has_grad_fn);
        c.requires_grad = true;
        Assert.True(c.requires_grad);
        c.requires_grad_(false);
        Assert.False(c.requires_grad);
        Assert.Null(x.grad);
    }

    [Fact]
    public void Backward_of_a_scalar_fills_leaf_gradients()
    {
        using var x = Leaf(1, 2, 3);
        using var w = Leaf(0.5, -1, 2);
        using var y = (x * x * w).sum();  // dy/dx = 2xw, dy/dw = x^2
        y.backward();
        using var gx = x.grad!;
        using var gw = w.grad!;
        Expect.Values(gx, new long[] { 3 }, new[] { 1, -4, 12.0 });
        Expect.Values(gw, new long[] { 3 }, new[] { 1, 4, 9.0 });
        Assert.Equal(ScalarType.Float64, gx.dtype);
    }

    [Fact]
    public void Backward_with_an_explicit_gradient()
    {
        using var x = Leaf(1, 2, 3);
        using var y = x * 2;
        using var g = torch.tensor(new[] { 1, 0.5, 2 });
        y.backward(g);
        using var gx = x.grad!;
        Expect.Values(gx, new long[] { 3 }, new[] { 2, 1, 4.0 });
        using var z = x * 3;
        Expect.TorchError(() => z.backward(), "grad can be implicitly created only for scalar outputs");
    }

    [Fact]
    public void Gradients_accumulate_over_backward_calls_and_reset_with_null()
    {
        using var x = Leaf(1, 2, 3);
        using var y = (x * x).sum();
        y.backward(retainGraph: true);
        y.backward(retainGraph: true);
        using (var g = x.grad!) Expect.Values(g, new long[] { 3 }, new[] { 4, 8, 12.0 });

        x.grad = null;
        Assert.Null(x.grad);
        y.backward();
        using (var g = x.grad!) Expect.Values(g, new long[] { 3 }, new[] { 2, 4, 6.0 });

        Expect.TorchError(() => y.backward(), "Trying to backward through the graph a second time");
    }

    [Fact]
    public void The_grad_handle_aliases_the_gradient_and_can_be_set()
    {
        using var x = Leaf(1, 2);
        using (var y = (x * 3).sum()) y.backward();
        var g = x.grad!;
        g.Dispose();                         // disposing one handle does not free the gradient
        using var again = x.grad!;
        Expect.Values(again, new long[] { 2 }, new[] { 3, 3.0 });
        again.zero_();                       // the handle shares the gradient's storage
        using (var z = x.grad!) Expect.Values(z, new long[] { 2 }, new[] { 0, 0.0 });

        using var manual = torch.tensor(new[] { 7.0, 8 });
        x.grad = manual;
        using (var y = x.sum()) y.backward();
        using (var z = x.grad!) Expect.Values(z, new long[] { 2 }, new[] { 8, 9.0 });
    }

    [Fact]
    public void Detach_stops_gradients_and_shares_storage()
    {
        using var x = Leaf(1, 2, 3);
        using var d = x.detach();
        Assert.False(d.requires_grad);
        Assert.True(d.is_alias_of(x));
        using var y = (x * d).sum();           // d is a constant: dy/dx = d = x
        y.backward();
        using var g = x.grad!;
        Expect.Values(g, new long[] { 3 }, new[] { 1, 2, 3.0 });

        using var h = x * 2;
        h.detach_();
        Assert.False(h.requires_grad);
        Assert.False(h.has_grad_fn);
    }

    [Fact]
    public void Gradients_flow_through_views_and_indexing()
    {
        using var x = Leaf(1, 2, 3, 4);
        using var idx = torch.tensor(new long[] { 0, 0, 3 });
        using var a = x[1..3].sum();                 // [0, 1, 1, 0]
        using var b = x[idx].sum();                  // repeated indices accumulate: [2, 0, 0, 1]
        using var c = (x.reshape(2, 2).t()[0] * 10).sum(); // column 0 of the 2x2 = x[0], x[2]
        using var s = a + b + c;
        s.backward();
        using var g = x.grad!;
        Expect.Values(g, new long[] { 4 }, new[] { 12, 1, 11, 1.0 });
    }

    [Fact]
    public void No_grad_records_nothing_and_restores_the_previous_mode()
    {
        using var x = Leaf(1, 2);
        Assert.True(torch.is_grad_enabled());
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            using var y = x * 2;
            Assert.False(y.requires_grad);
            Assert.False(y.has_grad_fn);
            x.mul_(2);                               // in-place on a leaf is allowed without grad
        }
        Assert.True(torch.is_grad_enabled());
        Expect.Values(x, new long[] { 2 }, new[] { 2, 4.0 });
        using var z = x * 2;
        Assert.True(z.has_grad_fn);
        using var w = torch.tensor(new[] { 1.0 }).requires_grad_();
        Expect.TorchError(() => w.mul_(2), "a leaf Variable that requires grad is being used in an in-place operation");
    }

    [Fact]
    public void No_grad_scopes_nest_and_enable_grad_reenables_inside()
    {
        using var x = Leaf(1, 2);
        using (torch.no_grad())
        {
            using (torch.no_grad())
                Assert.False(torch.is_grad_enabled());
            Assert.False(torch.is_grad_enabled());      // the inner scope restored "disabled"
            using (torch.enable_grad())
            {
                Assert.True(torch.is_grad_enabled());
                using var y = x * 2;
                Assert.True(y.requires_grad);
                using (torch.no_grad())
                {
                    using var z = x * 2;
                    Assert.False(z.requires_grad);
                }
                Assert.True(torch.is_grad_enabled());
            }
            Assert.False(torch.is_grad_enabled());
            using var u = x * 2;
            Assert.False(u.requires_grad);
        }
        Assert.True(torch.is_grad_enabled());
        var s = torch.no_grad();
        s.Dispose();
        s.Dispose();                                     // a second dispose does not flip the mode again
        Assert.True(torch.is_grad_enabled());
    }

    [Fact]
    public void Grad_mode_is_per_thread()
    {
        using (torch.no_grad())
        {
            bool other = true;
            var thread = new Thread(() => other = torch.is_grad_enabled());
            thread.Start();
            thread.Join();
            Assert.True(other);
            Assert.False(torch.is_grad_enabled());
        }
    }

    [Fact]
    public void Autograd_misuse_raises_TorchException()
    {
        using var c = torch.tensor(new[] { 1.0, 2.0 });
        using var s = c.sum();
        Expect.TorchError(() => s.backward(), "element 0 of tensors does not require grad and does not have a grad_fn");
        using var i = torch.tensor(new long[] { 1, 2 });
        Expect.TorchError(() => { i.requires_grad = true; }, "Only Tensors of floating point and complex dtype can require gradients");
        using var x = Leaf(1.0);
        using var y = x * 2;
        Expect.TorchError(() => { y.requires_grad = false; }, "you can only change requires_grad flags of leaf variables");
    }

    [Fact]
    public void Create_graph_allows_a_second_derivative()
    {
        using var x = Leaf(2.0);
        using var y = (x * x * x).sum();     // y = x^3, y' = 3x^2 = 12, y'' = 6x = 12
        y.backward(createGraph: true);
        using var g = x.grad!;
        Expect.Values(g, new long[] { 1 }, new[] { 12.0 });
        Assert.True(g.has_grad_fn);
        using var gs = g.sum();
        x.grad = null;
        gs.backward();
        using var g2 = x.grad!;
        Expect.Values(g2, new long[] { 1 }, new[] { 12.0 });
    }
}
