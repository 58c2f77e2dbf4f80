using Cema.Torch;

namespace Cema.Torch.Tests.Ops;

/// <summary>tensor[...] against what PyTorch gives for the same Python expression (written in the comments).</summary>
public class IndexingTests
{
    // x = torch.arange(12).reshape(3, 4)
    // [[ 0,  1,  2,  3],
    //  [ 4,  5,  6,  7],
    //  [ 8,  9, 10, 11]]
    private static Tensor X() => torch.arange(12).reshape(3, 4);

    // y = torch.arange(24).reshape(2, 3, 4): y[i, j, k] = 12i + 4j + k
    private static Tensor Y() => torch.arange(24).reshape(2, 3, 4);

    private static Tensor L(params long[] v) => torch.tensor(v);

    [Fact]
    public void Integers_select_and_negative_integers_count_from_the_end()
    {
        using var x = X();
        using var a = x[1];                 // x[1]
        Expect.Longs(a, 4, 5, 6, 7);
        using var b = x[-1];                // x[-1]
        Expect.Longs(b, 8, 9, 10, 11);
        using var c = x[1, 2];              // x[1, 2] -> tensor(6), 0-dim
        Assert.Empty(c.shape);
        Assert.Equal(6L, c.item<long>());
        using var d = x[-1, -2];            // x[-1, -2]
        Assert.Equal(10L, d.item<long>());
        using var e = x[2L, 0L];
        Assert.Equal(8L, e.item<long>());
        Assert.True(a.is_alias_of(x));
    }

    [Fact]
    public void Csharp_ranges_are_slices()
    {
        using var x = X();
        using var a = x[1..3];              // x[1:3]
        Expect.Longs(a, new long[] { 2, 4 }, new long[] { 4, 5, 6, 7, 8, 9, 10, 11 });
        using var b = x[.., 1..3];          // x[:, 1:3]
        Expect.Longs(b, new long[] { 3, 2 }, new long[] { 1, 2, 5, 6, 9, 10 });
        using var c = x[^2..];              // x[-2:]
        Expect.Longs(c, new long[] { 2, 4 }, new long[] { 4, 5, 6, 7, 8, 9, 10, 11 });
        using var d = x[..^1, ^3..^1];      // x[:-1, -3:-1]
        Expect.Longs(d, new long[] { 2, 2 }, new long[] { 1, 2, 5, 6 });
        using var e = x[2..1];              // x[2:1] -> empty
        Assert.Equal(new long[] { 0, 4 }, e.shape);
        using var f = x[1.., 10..];         // x[1:, 10:] -> (2, 0)
        Assert.Equal(new long[] { 2, 0 }, f.shape);
        using var g = x[^0..];              // x[3:] -> empty: ^0 is the end
        Assert.Equal(new long[] { 0, 4 }, g.shape);
        Assert.True(b.is_alias_of(x));
    }

    [Fact]
    public void Csharp_hat_indices_select_from_the_end()
    {
        using var x = X();
        using var a = x[^1];                // x[-1]
        Expect.Longs(a, 8, 9, 10, 11);
        using var b = x[.., ^1];            // x[:, -1]
        Expect.Longs(b, 3, 7, 11);
        using var c = x[^3, ^4];            // x[-3, -4]
        Assert.Equal(0L, c.item<long>());
        Assert.ThrowsAny<ArgumentException>(() => x[^0]);
    }

    [Fact]
    public void Slices_with_a_step()
    {
        using var x = X();
        using var a = x[.., TensorIndex.Slice(step: 2)];            // x[:, ::2]
        Expect.Longs(a, new long[] { 3, 2 }, new long[] { 0, 2, 4, 6, 8, 10 });
        using var b = x[TensorIndex.Slice(null, null, 2), TensorIndex.Slice(1, null, 2)]; // x[::2, 1::2]
        Expect.Longs(b, new long[] { 2, 2 }, new long[] { 1, 3, 9, 11 });
        using var c = x[TensorIndex.Colon, TensorIndex.Slice(-3, 4, 2)];  // x[:, -3:4:2]
        Expect.Longs(c, new long[] { 3, 2 }, new long[] { 1, 3, 5, 7, 9, 11 });
        Expect.TorchError(() => x[TensorIndex.Slice(step: -1)], "slice step must be positive");
    }

    [Fact]
    public void None_inserts_an_axis_and_ellipsis_stands_for_the_rest()
    {
        using var x = X();
        using var a = x[TensorIndex.None];                          // x[None] -> (1, 3, 4)
        Assert.Equal(new long[] { 1, 3, 4 }, a.shape);
        using var b = x[.., TensorIndex.None];                      // x[:, None] -> (3, 1, 4)
        Assert.Equal(new long[] { 3, 1, 4 }, b.shape);
        using var c = x[TensorIndex.Ellipsis, TensorIndex.None];    // x[..., None] -> (3, 4, 1)
        Assert.Equal(new long[] { 3, 4, 1 }, c.shape);
        using var c1 = c[2, 3, 0];
        Assert.Equal(11L, c1.item<long>());
        using var d = x[TensorIndex.None, 1, TensorIndex.None, 2..]; // x[None, 1, None, 2:] -> (1, 1, 2)
        Expect.Longs(d, new long[] { 1, 1, 2 }, new long[] { 6, 7 });

        using var y = Y();
        using var e = y[TensorIndex.Ellipsis, 1];                   // y[..., 1] -> (2, 3)
        Expect.Longs(e, new long[] { 2, 3 }, new long[] { 1, 5, 9, 13, 17, 21 });
        using var f = y[0, TensorIndex.Ellipsis];                   // y[0, ...] -> (3, 4)
        Assert.Equal(new long[] { 3, 4 }, f.shape);
        using var g = y[TensorIndex.Ellipsis, 1, 2];                // y[..., 1, 2] -> [6, 18]
        Expect.Longs(g, 6, 18);
        using var h = y[1, TensorIndex.Ellipsis, 3];                // y[1, ..., 3] -> [15, 19, 23]
        Expect.Longs(h, 15, 19, 23);
        using var i = y[TensorIndex.Ellipsis];                      // y[...] -> y
        Assert.True(i.equal(y));
        Assert.Throws<ArgumentException>(() => x[0, 0, 0]);         // too many indices
    }

    [Fact]
    public void Int64_index_tensors_gather()
    {
        using var x = X();
        using var i20 = L(2, 0);
        using var a = x[i20];                                        // x[[2, 0]]
        Expect.Longs(a, new long[] { 2, 4 }, new long[] { 8, 9, 10, 11, 0, 1, 2, 3 });
        Assert.False(a.is_alias_of(x));
        using var i02 = L(0, 2);
        using var i13 = L(1, 3);
        using var b = x[i02, i13];                                   // x[[0, 2], [1, 3]] -> [1, 11]
        Expect.Longs(b, 1, 11);
        using var m = torch.tensor(new long[] { 0, 1, 2, 2 }, 2, 2);
        using var c = x[m];                                          // x[[[0, 1], [2, 2]]] -> (2, 2, 4)
        Assert.Equal(new long[] { 2, 2, 4 }, c.shape);
        using var c110 = c[1, 1, 0];
        Assert.Equal(8L, c110.item<long>());
        using var neg = L(-1);
        using var d = x[neg];                                        // x[[-1]]
        Expect.Longs(d, new long[] { 1, 4 }, new long[] { 8, 9, 10, 11 });
        using var rows = L(0, 1, 2);
        using var col = L(3);
        using var e = x[rows, col];                                  // x[[0, 1, 2], [3]] (broadcast) -> [3, 7, 11]
        Expect.Longs(e, 3, 7, 11);
        using var bad = L(3);
        Expect.TorchError(() => x[bad], "index 3 is out of bounds for dimension 0 with size 3");
    }

    [Fact]
    public void Boolean_masks_select()
    {
        using var x = X();
        using var m1 = torch.tensor(new[] { true, false, true });
        using var a = x[m1];                                         // x[[True, False, True]]
        Expect.Longs(a, new long[] { 2, 4 }, new long[] { 0, 1, 2, 3, 8, 9, 10, 11 });
        using var gt = x > 5;
        using var b = x[gt];                                         // x[x > 5] (2-D mask)
        Expect.Longs(b, 6, 7, 8, 9, 10, 11);
        using var colMask = torch.tensor(new[] { false, true, true, false });
        using var c = x[.., colMask];                                // x[:, [False, True, True, False]]
        Expect.Longs(c, new long[] { 3, 2 }, new long[] { 1, 2, 5, 6, 9, 10 });

        using var y = Y();
        using var m2 = torch.tensor(new[] { true, false, false, false, false, true }, 2, 3);
        using var d = y[m2];                                         // y[mask(2, 3)] -> (2, 4): y[0, 0] and y[1, 2]
        Expect.Longs(d, new long[] { 2, 4 }, new long[] { 0, 1, 2, 3, 20, 21, 22, 23 });
        using var m3 = torch.tensor(new[] { false, true, true, false, false, true, true, true, false, false, false, true }, 3, 4);
        using var e = y[1, m3];                                      // y[1, mask(3, 4)] -> 12 + selected flat positions
        Expect.Longs(e, 13, 14, 17, 18, 19, 23);
        using var wrong = torch.tensor(new[] { true, false });
        Expect.TorchError(() => x[wrong], "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4]");
    }

    [Fact]
    public void Mixed_basic_and_advanced_indices()
    {
        using var x = X();
        using var i03 = L(0, 3);
        using var a = x[1.., i03];                                   // x[1:, [0, 3]] -> [[4, 7], [8, 11]]
        Expect.Longs(a, new long[] { 2, 2 }, new long[] { 4, 7, 8, 11 });
        using var i02 = L(0, 2);
        using var b = x[i02, 1..3];                                  // x[[0, 2], 1:3] -> [[1, 2], [9, 10]]
        Expect.Longs(b, new long[] { 2, 2 }, new long[] { 1, 2, 9, 10 });

        using var y = Y();
        using var i20 = L(2, 0);
        using var c = y[0, i20, 1];                                  // y[0, [2, 0], 1] -> [9, 1]
        Expect.Longs(c, 9, 1);
        using var c2 = y[TensorIndex.Ellipsis, i03];                 // y[..., [0, 3]] -> (2, 3, 2)
        Expect.Longs(c2, new long[] { 2, 3, 2 }, new long[] { 0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20, 23 });
        using var i01 = L(0, 1);
        using var i12 = L(1, 2);
        using var d = y[i01, .., i12];                               // y[[0, 1], :, [1, 2]] -> (2, 3): the advanced dim goes first
        Expect.Longs(d, new long[] { 2, 3 }, new long[] { 1, 5, 9, 14, 18, 22 });
        using var e = y[.., i12, TensorIndex.Slice(step: 2)];        // y[:, [1, 2], ::2] -> (2, 2, 2)
        Expect.Longs(e, new long[] { 2, 2, 2 }, new long[] { 4, 6, 8, 10, 16, 18, 20, 22 });
        using var f = y[TensorIndex.None, i01, 2];                   // y[None, [0, 1], 2] -> (1, 2, 4)
        Expect.Longs(f, new long[] { 1, 2, 4 }, new long[] { 8, 9, 10, 11, 20, 21, 22, 23 });
        using var m = torch.tensor(new[] { true, false, true });
        using var g = y[.., m, 3];                                   // y[:, [True, False, True], 3] -> [[3, 11], [15, 23]]
        Expect.Longs(g, new long[] { 2, 2 }, new long[] { 3, 11, 15, 23 });
    }

    [Fact]
    public void Setter_with_basic_indices_writes_into_the_tensor()
    {
        using var x = X();
        using (var v = L(-1, -2)) x[0, 1..3] = v;                   // x[0, 1:3] = tensor([-1, -2])
        using (var v = torch.scalar_tensor(100, ScalarType.Int64)) x[.., 0] = v; // x[:, 0] = 100 (broadcast)
        using (var v = L(7, 7, 7, 7)) x[2] = v;                     // x[2] = 7
        using (var v = L(5)) x[^2, ^1] = v;                         // x[-2, -1] = 5
        using (var v = L(9)) x[1, TensorIndex.Slice(1, null, 2)] = v; // x[1, 1::2] = 9
        Expect.Longs(x, new long[] { 3, 4 }, new long[]
        {
            100, -1, -2, 3,
            100, 9, 6, 9,
            7, 7, 7, 7,
        });
        using var y = torch.zeros(2, 3);
        using (var v = torch.tensor(new float[] { 1, 2, 3 })) y[TensorIndex.Ellipsis] = v; // y[...] = [1, 2, 3]
        Expect.Values(y, new long[] { 2, 3 }, new double[] { 1, 2, 3, 1, 2, 3 });
        using (var v = torch.tensor(new float[] { 4, 5 })) Expect.TorchError(() => { y[0] = v; }, "The size of tensor a (3) must match the size of tensor b (2)");
    }

    [Fact]
    public void Setter_with_advanced_indices_writes_into_the_tensor()
    {
        using var x = X();
        using (var i = L(0, 2)) using (var v = torch.scalar_tensor(-5, ScalarType.Int64)) x[i] = v;  // x[[0, 2]] = -5
        Expect.Longs(x, new long[] { 3, 4 }, new long[] { -5, -5, -5, -5, 4, 5, 6, 7, -5, -5, -5, -5 });

        using (var m = x > 5) using (var v = torch.scalar_tensor(0, ScalarType.Int64)) x[m] = v;    // x[x > 5] = 0
        Expect.Longs(x, new long[] { 3, 4 }, new long[] { -5, -5, -5, -5, 4, 5, 0, 0, -5, -5, -5, -5 });

        using (var r = L(0, 1)) using (var c = L(3, 0)) using (var v = L(70, 80)) x[r, c] = v;     // x[[0, 1], [3, 0]] = [70, 80]
        Expect.Longs(x, new long[] { 3, 4 }, new long[] { -5, -5, -5, 70, 80, 5, 0, 0, -5, -5, -5, -5 });

        using (var c = L(1)) using (var v = torch.scalar_tensor(-1, ScalarType.Int64)) x[1.., c] = v; // x[1:, [1]] = -1
        Expect.Longs(x, new long[] { 3, 4 }, new long[] { -5, -5, -5, 70, 80, -1, 0, 0, -5, -1, -5, -5 });

        using var y = Y();
        using (var m = torch.tensor(new[] { true, false, true })) using (var v = L(1, 2)) y[1, m, 0] = v; // y[1, [T, F, T], 0] = [1, 2]
        using var y1 = y[1, .., 0];
        Expect.Longs(y1, 1, 16, 2);
        using var y0 = y[0, .., 0];
        Expect.Longs(y0, 0, 4, 8); // the other block is untouched
    }

    // ---- gradients ----------------------------------------------------------------------------

    public static TheoryData<string> IndexOps => new() { "int", "range", "step", "none_ellipsis", "gather", "repeated", "mask", "mixed", "set_basic", "set_advanced", "set_mask" };

    private static Tensor IndexOp(string name, Tensor a, Tensor b) => name switch
    {
        "int" => a[1] * b[-1, ^2],
        "range" => a[.., 1..] * b[.., ..^1],
        "step" => a[.., TensorIndex.Slice(0, null, 2)] * b[TensorIndex.Ellipsis, TensorIndex.Slice(1, null, 1)].slice(1, 0, 2),
        "none_ellipsis" => a[TensorIndex.None, TensorIndex.Ellipsis, 1] * b[TensorIndex.Ellipsis, TensorIndex.None][.., 0, 0],
        "gather" => a[L(1, 0)] * b[L(0, 1), L(2, 0)].unsqueeze(1),
        "repeated" => a[L(0, 0, 1), L(2, 2, 2)] * b[1, L(1, 1, 0)],
        "mask" => a[torch.tensor(new[] { true, false, true, false, true, true }, 2, 3)] * b.flatten()[..4],
        "mixed" => a[1.., L(2, 0)] * b[L(0), 1..],
        "set_basic" => SetThenScale(a, y => y[0, 1..] = b[1, ..2] * 3),
        "set_advanced" => SetThenScale(a, y => y[L(1, 0), L(0, 2)] = b[0, ..2].square()),
        "set_mask" => SetThenScale(a, y => y[torch.tensor(new[] { false, true })] = b[0] * b[1]),
        _ => throw new ArgumentException(name),
    };

    private static Tensor SetThenScale(Tensor a, Action<Tensor> set)
    {
        var y = a * 1;
        set(y);
        return y * a;
    }

    [Theory]
    [MemberData(nameof(IndexOps))]
    public void Indexing_gradients_match_finite_differences(string op)
    {
        using var a = torch.tensor(new[] { 0.3, 1.7, -0.8, 2.4, -1.3, 0.6 }, 2, 3);
        using var b = torch.tensor(new[] { 1.1, -0.4, 0.9, 0.5, 2.2, -1.6 }, 2, 3);
        GradCheck.Check(t => IndexOp(op, t[0], t[1]), a, b);
    }
}
