using Cema.Torch;

namespace Cema.Torch.Tests.Ops;

public class ShapeTests
{
    // [[0, 1, 2], [3, 4, 5]]
    private static Tensor M23() => torch.arange(6).reshape(2, 3);

    [Fact]
    public void Reshape_keeps_row_major_order_and_infers_minus_one()
    {
        using var x = torch.arange(6);
        using var a = x.reshape(2, 3);
        Expect.Longs(a, new long[] { 2, 3 }, new long[] { 0, 1, 2, 3, 4, 5 });
        using var b = x.reshape(-1, 2);
        Assert.Equal(new long[] { 3, 2 }, b.shape);
        using var b21 = b[2, 1];
        Assert.Equal(5L, b21.item<long>());
        using var s = torch.tensor(new float[] { 9 });
        using var zeroDim = s.reshape();
        Assert.Empty(zeroDim.shape);
        Assert.Equal(9f, zeroDim.item<float>());
    }

    [Fact]
    public void Reshape_to_an_impossible_shape_raises_TorchException()
    {
        using var x = torch.arange(6);
        Expect.TorchError(() => x.reshape(4), "shape '[4]' is invalid for input of size 6");
        Expect.TorchError(() => x.reshape(-1, -1), "only one dimension can be inferred");
        Expect.TorchError(() => x.view(5), "shape '[5]' is invalid for input of size 6");
    }

    [Fact]
    public void View_shares_storage_with_its_base()
    {
        using var x = torch.zeros(6);
        using var v = x.view(2, 3);
        Assert.True(v.is_alias_of(x));
        using var row = v.select(0, 1);
        row.fill_(7);
        Assert.Equal(new float[] { 0, 0, 0, 7, 7, 7 }, x.ToArray<float>());
    }

    [Fact]
    public void View_of_a_non_contiguous_tensor_raises_but_reshape_copies()
    {
        using var m = M23();
        using var t = m.t();
        Expect.TorchError(() => t.view(6), "view size is not compatible with input tensor's size and stride");
        using var r = t.reshape(6);
        Expect.Longs(r, 0, 3, 1, 4, 2, 5);
        Assert.False(r.is_alias_of(m));
        using var r2 = m.reshape(3, 2);
        Assert.True(r2.is_alias_of(m)); // contiguous: reshape is a view
    }

    [Fact]
    public void Flatten_merges_the_given_dims()
    {
        using var x = torch.arange(24).reshape(2, 3, 4);
        using var all = x.flatten();
        Assert.Equal(new long[] { 24 }, all.shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), all.ToArray<long>());
        using var from1 = x.flatten(1);
        Assert.Equal(new long[] { 2, 12 }, from1.shape);
        using var first2 = x.flatten(0, 1);
        Assert.Equal(new long[] { 6, 4 }, first2.shape);
        using var e = first2[5, 3];
        Assert.Equal(23L, e.item<long>());
    }

    [Fact]
    public void Permute_and_transpose_reorder_dims()
    {
        using var x = torch.arange(12).reshape(2, 3, 2);
        using var p = x.permute(2, 0, 1); // p[a, b, c] = x[b, c, a] = 6b + 2c + a
        Expect.Longs(p, new long[] { 2, 2, 3 }, new long[] { 0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11 });
        Assert.True(p.is_alias_of(x));

        using var m = M23();
        using var t = m.transpose(0, 1);
        Expect.Longs(t, new long[] { 3, 2 }, new long[] { 0, 3, 1, 4, 2, 5 });
        using var t2 = m.t();
        Assert.True(t.equal(t2));
        using var neg = x.transpose(-1, 0); // (2,3,2) -> [x[k, j, i]]: swap dims 0 and 2
        Assert.Equal(new long[] { 2, 3, 2 }, neg.shape);
        using var n = neg[1, 2, 0]; // = x[0, 2, 1] = 5
        Assert.Equal(5L, n.item<long>());
        Expect.TorchError(() => x.permute(0, 1), "does not match the length of the desired ordering of dimensions");
    }

    [Fact]
    public void Contiguous_copies_only_when_needed()
    {
        using var m = M23();
        using var c = m.contiguous();
        Assert.True(c.is_alias_of(m));
        using var t = m.t();
        using var tc = t.contiguous();
        Assert.False(tc.is_alias_of(m));
        Assert.True(tc.equal(t));
        using var flat = tc.view(6); // now legal
        Expect.Longs(flat, 0, 3, 1, 4, 2, 5);
    }

    [Fact]
    public void Squeeze_and_unsqueeze()
    {
        using var x = torch.zeros(1, 3, 1);
        using var all = x.squeeze();
        Assert.Equal(new long[] { 3 }, all.shape);
        using var d0 = x.squeeze(0);
        Assert.Equal(new long[] { 3, 1 }, d0.shape);
        using var last = x.squeeze(-1);
        Assert.Equal(new long[] { 1, 3 }, last.shape);
        using var notOne = x.squeeze(1); // size 3: unchanged
        Assert.Equal(new long[] { 1, 3, 1 }, notOne.shape);

        using var v = torch.arange(3);
        using var u0 = v.unsqueeze(0);
        Expect.Longs(u0, new long[] { 1, 3 }, new long[] { 0, 1, 2 });
        using var u1 = v.unsqueeze(-1);
        Expect.Longs(u1, new long[] { 3, 1 }, new long[] { 0, 1, 2 });
        Assert.True(u1.is_alias_of(v));
        Expect.TorchError(() => v.unsqueeze(2), "Dimension out of range");
    }

    [Fact]
    public void Expand_repeats_without_copying()
    {
        using var col = torch.tensor(new long[] { 1, 2, 3 }, 3, 1);
        using var e = col.expand(3, 2);
        Expect.Longs(e, new long[] { 3, 2 }, new long[] { 1, 1, 2, 2, 3, 3 });
        Assert.True(e.is_alias_of(col));
        using var e2 = col.expand(2, -1, 4);
        Assert.Equal(new long[] { 2, 3, 4 }, e2.shape);
        using var e2v = e2[1, 2, 3];
        Assert.Equal(3L, e2v.item<long>());
        col.mul_(10);
        using var after = e[2, 1];
        Assert.Equal(30L, after.item<long>());
        Expect.TorchError(() => col.expand(2, 2), "The expanded size of the tensor (2) must match the existing size (3)");
    }

    [Fact]
    public void Cat_joins_along_an_existing_dim()
    {
        using var a = torch.tensor(new long[] { 1, 2 }, 1, 2);
        using var b = torch.tensor(new long[] { 3, 4, 5, 6 }, 2, 2);
        using var r0 = torch.cat(new[] { a, b });
        Expect.Longs(r0, new long[] { 3, 2 }, new long[] { 1, 2, 3, 4, 5, 6 });

        using var c = torch.tensor(new long[] { 7, 8 }, 2, 1);
        using var r1 = torch.cat(new[] { b, c }, 1);
        Expect.Longs(r1, new long[] { 2, 3 }, new long[] { 3, 4, 7, 5, 6, 8 });
        using var rn = torch.cat(new[] { b, c }, -1);
        Assert.True(rn.equal(r1));
        Assert.False(r1.is_alias_of(b));
        Expect.TorchError(() => torch.cat(new[] { a, c }), "Sizes of tensors must match except in dimension 0");
    }

    [Fact]
    public void Stack_joins_along_a_new_dim()
    {
        using var a = torch.tensor(new long[] { 1, 2 });
        using var b = torch.tensor(new long[] { 3, 4 });
        using var s0 = torch.stack(new[] { a, b });
        Expect.Longs(s0, new long[] { 2, 2 }, new long[] { 1, 2, 3, 4 });
        using var s1 = torch.stack(new[] { a, b }, 1);
        Expect.Longs(s1, new long[] { 2, 2 }, new long[] { 1, 3, 2, 4 });
        using var c = torch.tensor(new long[] { 5, 6, 7 });
        Expect.TorchError(() => torch.stack(new[] { a, c }), "stack expects each tensor to be equal size");
    }

    [Fact]
    public void Slice_select_and_narrow()
    {
        using var x = torch.arange(6);
        using var s = x.slice(0, 1, 5, 2);
        Expect.Longs(s, 1, 3);
        using var s2 = x.slice(0, 1, 100, 2); // the end is clamped
        Expect.Longs(s2, 1, 3, 5);
        using var sn = x.slice(0, -2, 6);
        Expect.Longs(sn, 4, 5);

        using var m = M23();
        using var cols = m.slice(1, 1, 3);
        Expect.Longs(cols, new long[] { 2, 2 }, new long[] { 1, 2, 4, 5 });
        using var sel = m.select(1, 2);
        Expect.Longs(sel, 2, 5);
        using var last = m.select(0, -1);
        Expect.Longs(last, 3, 4, 5);
        using var n = m.narrow(1, 1, 2);
        Expect.Longs(n, new long[] { 2, 2 }, new long[] { 1, 2, 4, 5 });
        using var nNeg = m.narrow(1, -1, 1); // PyTorch: a negative start counts from the end
        Expect.Longs(nNeg, new long[] { 2, 1 }, new long[] { 2, 5 });
        Expect.TorchError(() => m.narrow(1, 2, 5), "exceeds dimension size (3)");
        Expect.TorchError(() => m.select(1, 3), "select(): index 3 out of range for tensor of size [2, 3] at dimension 1");
    }

    [Fact]
    public void Index_select_gathers_and_copies()
    {
        using var m = M23();
        using var idx = torch.tensor(new long[] { 2, 0, 2 });
        using var r = m.index_select(1, idx);
        Expect.Longs(r, new long[] { 2, 3 }, new long[] { 2, 0, 2, 5, 3, 5 });
        Assert.False(r.is_alias_of(m));
        using var rows = m.index_select(0, torch.tensor(new long[] { 1 }));
        Expect.Longs(rows, new long[] { 1, 3 }, new long[] { 3, 4, 5 });
        using var bad = torch.tensor(new long[] { 3 });
        Expect.TorchError(() => m.index_select(1, bad), "INDICES element is out of DATA bounds");
    }

    [Fact]
    public void Writing_through_views_changes_the_base()
    {
        using var x = torch.zeros(new long[] { 3, 4 }, ScalarType.Int64);
        using (var s = x.slice(1, 0, 4, 2)) s.fill_(1);            // columns 0 and 2
        using (var r = x.select(0, 2)) r.add_(10);                 // last row
        using (var n = x.narrow(0, 0, 1)) n.mul_(-1);              // first row
        using (var t = x.t()) using (var tr = t.select(0, 3)) tr.fill_(5); // column 3
        using (var v = x.view(12)) using (var v0 = v.select(0, 1)) v0.fill_(9);
        using (var e = x.unsqueeze(0)) using (var ee = e.select(0, 0)) using (var ec = ee.select(0, 1)) ec.fill_(4);
        Expect.Longs(x, new long[] { 3, 4 }, new long[]
        {
            -1, 9, -1, 5,
            4, 4, 4, 4,
            11, 10, 11, 5,
        });
        using var copy = x.index_select(0, torch.tensor(new long[] { 0 }));
        copy.fill_(0);
        using var x00 = x[0, 0];
        Assert.Equal(-1L, x00.item<long>());
    }

    [Fact]
    public void Clone_copies_and_detach_shares()
    {
        using var x = torch.tensor(new float[] { 1, 2 });
        using var c = x.clone();
        using var d = x.detach();
        Assert.False(c.is_alias_of(x));
        Assert.True(d.is_alias_of(x));
        x.fill_(5);
        Assert.Equal(new float[] { 1, 2 }, c.ToArray<float>());
        Assert.Equal(new float[] { 5, 5 }, d.ToArray<float>());
    }

    [Fact]
    public void Masked_fill_where_and_one_hot()
    {
        using var x = torch.tensor(new float[] { 1, -2, 3, -4 });
        using var neg = x < 0;
        using var mf = x.masked_fill(neg, 0);
        Expect.Values(mf, new double[] { 1, 0, 3, 0 });
        Assert.Equal(new float[] { 1, -2, 3, -4 }, x.ToArray<float>()); // out of place

        using var y = torch.tensor(new float[] { 10, 20, 30, 40 });
        using var w = torch.where(neg, y, x);
        Expect.Values(w, new double[] { 1, 20, 3, 40 });
        using var m2 = torch.tensor(new bool[] { true, false }, 2, 1); // broadcast over columns
        using var a = torch.zeros(2, 2);
        using var b = torch.ones(2, 2);
        using var wb = torch.where(m2, a, b);
        Expect.Values(wb, new long[] { 2, 2 }, new double[] { 0, 0, 1, 1 });

        using var labels = torch.tensor(new long[] { 2, 0, 1 });
        using var oh = labels.one_hot(4);
        Expect.Longs(oh, new long[] { 3, 4 }, new long[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0 });
        Expect.TorchError(() => labels.one_hot(2), "Class values must be smaller than num_classes");
    }

    // ---- gradients ----------------------------------------------------------------------------

    public static TheoryData<string> ShapeOps => new()
    {
        "reshape", "view", "flatten", "permute", "transpose", "t", "squeeze", "unsqueeze", "expand", "contiguous",
        "cat", "stack", "slice", "select", "narrow", "index_select", "clone", "masked_fill", "where",
    };

    private static Tensor ShapeOp(string name, Tensor a, Tensor b) => name switch
    {
        "reshape" => a.reshape(3, 2) * b.reshape(3, 2),
        "view" => a.view(6) * b.view(-1),
        "flatten" => a.unsqueeze(0).flatten(1) * b.flatten(),
        "permute" => a.reshape(1, 2, 3).permute(2, 0, 1) * b.reshape(3, 1, 2),
        "transpose" => a.transpose(0, 1) + b.transpose(-1, -2) * 2,
        "t" => a.t().matmul(b),
        "squeeze" => a.unsqueeze(1).squeeze() * b.reshape(2, 1, 3).squeeze(1),
        "unsqueeze" => a.unsqueeze(0) * b.unsqueeze(1),
        "expand" => a.select(0, 0).reshape(3, 1).expand(3, 4) * b.select(0, 1).unsqueeze(1).expand(-1, 4),
        "contiguous" => a.t().contiguous() * b.t(),
        "cat" => torch.cat(new[] { a, b * 2 }, 1),
        "stack" => torch.stack(new[] { a, b.square() }, 1),
        "slice" => a.slice(1, 0, 3, 2) * b.slice(1, 1, 3),
        "select" => a.select(1, 2) * b.select(1, -1) + a.select(0, 1).sum(),
        "narrow" => a.narrow(1, 1, 2) * b.narrow(1, -2, 2),
        "index_select" => a.index_select(1, torch.tensor(new long[] { 2, 0, 2 })) * b.index_select(1, torch.tensor(new long[] { 1, 1, 0 })),
        "clone" => a.clone() * b.clone(),
        "masked_fill" => a.masked_fill(torch.tensor(new[] { true, false, false, true, false, true }, 2, 3), 1.5) * b,
        "where" => torch.where(torch.tensor(new[] { false, true, true }), a * 2, b * a),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ShapeOps))]
    public void Shape_op_gradients_match_finite_differences(string op)
    {
        using var a = torch.tensor(new[] { 0.3, 1.7, -0.8, 2.4, -1.3, 0.6 }, 2, 3);
        using var b = torch.tensor(new[] { 1.1, -0.4, 0.9, 0.5, 2.2, -1.6 }, 2, 3);
        GradCheck.Check(t => ShapeOp(op, t[0], t[1]), a, b);
    }
}
