using System.Runtime.CompilerServices;
using Cema.Torch;

namespace Cema.Torch.Tests.Ops;

/// <summary>
/// Dispose-scope semantics, checked with the native live-tensor counter. The tests run alone (global
/// collection) and flush pending finalizers before each count, so the counter moves only with them.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public class DisposeScopeTests
{
    private static long Live()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return torch.live_tensors;
    }

    [Fact]
    public void Tensors_created_inside_a_scope_are_disposed_at_its_end()
    {
        long start = Live();
        Tensor a, b, c;
        using (var scope = torch.NewDisposeScope())
        {
            a = torch.ones(2);
            b = a + 1;
            c = (b * b).sum();                          // the intermediate b * b belongs to the scope too
            Assert.Equal(start + 4, torch.live_tensors);
            Assert.Equal(4, scope.Count);
            Assert.Equal(8f, c.item<float>());
        }
        Assert.True(a.IsDisposed);
        Assert.True(b.IsDisposed);
        Assert.True(c.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => c.item<float>());
        Assert.Equal(start, Live());
    }

    [Fact]
    public void Tensors_created_outside_are_untouched_and_manual_disposal_inside_is_not_repeated()
    {
        long start = Live();
        using var outside = torch.ones(3);
        using (var scope = torch.NewDisposeScope())
        {
            var sum = outside.sum();
            var early = outside * 2;
            early.Dispose();                            // disposed by hand: the scope must not free it again
            Assert.Equal(1, scope.Count);
            Assert.Equal(start + 2, torch.live_tensors);
        }
        Assert.False(outside.IsDisposed);
        Assert.Equal(start + 1, Live());
        Assert.Equal(new float[] { 1, 1, 1 }, outside.ToArray<float>());
    }

    [Fact]
    public void MoveToOuterScope_survives_exactly_one_level()
    {
        long start = Live();
        Tensor moved, dropped;
        using (var outer = torch.NewDisposeScope())
        {
            using (var inner = torch.NewDisposeScope())
            {
                moved = torch.ones(2).MoveToOuterScope();
                dropped = torch.zeros(2);
                Assert.Equal(1, inner.Count);
                Assert.Equal(1, outer.Count);
            }
            Assert.False(moved.IsDisposed);
            Assert.True(dropped.IsDisposed);
            Assert.Equal(start + 1, Live());
            using var check = moved.sum();
            Assert.Equal(2f, check.item<float>());
        }
        Assert.True(moved.IsDisposed);
        Assert.Equal(start, Live());
    }

    [Fact]
    public void MoveToOuterScope_from_the_outermost_scope_leaves_the_tensor_to_the_caller()
    {
        long start = Live();
        Tensor t;
        using (torch.NewDisposeScope())
            t = torch.ones(2).MoveToOuterScope();
        Assert.False(t.IsDisposed);
        Assert.Equal(start + 1, Live());
        t.Dispose();
        Assert.Equal(start, Live());
    }

    [Fact]
    public void DetachFromDisposeScope_survives_every_scope()
    {
        long start = Live();
        Tensor kept;
        using (torch.NewDisposeScope())
        {
            using (var inner = torch.NewDisposeScope())
            {
                kept = (torch.ones(2) * 3).DetachFromDisposeScope();
                Assert.Equal(1, inner.Count);           // ones(2) only: the detached product is no longer owned
            }
        }
        Assert.False(kept.IsDisposed);
        Assert.Equal(new float[] { 3, 3 }, kept.ToArray<float>());
        Assert.Equal(start + 1, Live());
        kept.Dispose();
        Assert.Equal(start, Live());
    }

    [Fact]
    public void Nested_scopes_dispose_only_their_own_tensors()
    {
        long start = Live();
        Tensor o1, i1, o2;
        using (var outer = torch.NewDisposeScope())
        {
            o1 = torch.ones(1);
            using (var inner = torch.NewDisposeScope())
            {
                i1 = o1 + 1;                            // created while inner is current: inner's
                Assert.Equal(1, inner.Count);
            }
            Assert.True(i1.IsDisposed);
            Assert.False(o1.IsDisposed);
            o2 = o1 + 2;                                // inner is gone: outer is current again
            Assert.Equal(2, outer.Count);
        }
        Assert.True(o1.IsDisposed);
        Assert.True(o2.IsDisposed);
        Assert.Equal(start, Live());
    }

    [Fact]
    public void A_scope_disposes_its_tensors_when_an_exception_leaves_it()
    {
        long start = Live();
        Tensor t = null!;
        Assert.Throws<TorchException>(() =>
        {
            using var scope = torch.NewDisposeScope();
            t = torch.ones(2, 3);
            using var bad = t.matmul(t);                // throws
        });
        Assert.True(t.IsDisposed);
        Assert.Equal(start, Live());
    }

    [Fact]
    public void Disposing_a_scope_twice_is_harmless()
    {
        long start = Live();
        var scope = torch.NewDisposeScope();
        var t = torch.ones(1);
        scope.Dispose();
        scope.Dispose();
        Assert.True(t.IsDisposed);
        using var after = torch.ones(1);                // no scope is current any more
        Assert.Equal(start + 1, Live());
    }

    [Fact]
    public void Scopes_disposed_out_of_order_do_not_capture_later_tensors()
    {
        long start = Live();
        var outer = torch.NewDisposeScope();
        var inner = torch.NewDisposeScope();
        var a = torch.ones(1);
        outer.Dispose();                                // out of order: inner is still current
        Assert.False(a.IsDisposed);
        inner.Dispose();
        Assert.True(a.IsDisposed);
        Assert.Null(DisposeScope.Current);              // not the already disposed outer scope
        var b = torch.ones(1);                          // so b is owned by no scope
        using (var fresh = torch.NewDisposeScope())
        {
            var c = torch.ones(1);
            Assert.Equal(1, fresh.Count);
        }
        Assert.False(b.IsDisposed);
        b.Dispose();
        Assert.Equal(start, Live());
    }

    [Fact]
    public void Scopes_are_per_thread()
    {
        long start = Live();
        Tensor? fromOtherThread = null;
        using (var scope = torch.NewDisposeScope())
        {
            var thread = new Thread(() => fromOtherThread = torch.ones(2));
            thread.Start();
            thread.Join();
            Assert.Equal(0, scope.Count);
        }
        Assert.False(fromOtherThread!.IsDisposed);
        fromOtherThread.Dispose();
        Assert.Equal(start, Live());
    }

    [Fact]
    public void Indexing_gradients_and_errors_leave_no_native_handles_behind()
    {
        using var x = torch.arange(12).reshape(3, 4);
        using var idx = torch.tensor(new long[] { 0, 2 });
        using var mask = torch.tensor(new[] { true, false, true });
        using var v = torch.scalar_tensor(-1, ScalarType.Int64);
        using var w = torch.tensor(new[] { 1.0, 2.0 }).requires_grad_();
        long start = Live();

        using (var r = x[1.., idx]) Assert.Equal(new long[] { 2, 2 }, r.shape);
        using (var r = x[TensorIndex.None, mask, TensorIndex.Ellipsis, 1..]) Assert.Equal(new long[] { 1, 2, 3 }, r.shape);
        using (var r = x[^1, TensorIndex.Slice(step: 2)]) Assert.Equal(new long[] { 2 }, r.shape);
        x[1.., idx] = v;
        x[0] = v;
        x[mask, 0] = v;
        using (var s = (w * w).sum()) s.backward();
        using (var g = w.grad!) Assert.Equal(new[] { 2.0, 4.0 }, g.ToArray<double>());
        for (int i = 0; i < 5; i++)
            Assert.Throws<TorchException>(() => x.reshape(5));
        Assert.Throws<TorchException>(() => { x[idx] = x; });
        Assert.Equal(start, Live());
    }

    [Fact]
    public void An_undisposed_unreachable_tensor_is_released_by_its_finalizer()
    {
        long start = Live();
        MakeGarbage();
        Assert.Equal(start, Live());

        [MethodImpl(MethodImplOptions.NoInlining)]
        static void MakeGarbage()
        {
            var t = torch.ones(1000);
            Assert.Equal(1000, t.numel());
        }
    }
}
