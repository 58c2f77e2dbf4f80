using Cema.Torch;

namespace Cema.Torch.Tests.Ops;

public class ReductionTests
{
    // [[1, 2, 3], [4, 5, 6]]
    private static Tensor X(ScalarType dtype = ScalarType.Float32) => torch.arange(1, 7).reshape(2, 3).to(dtype);

    // [[1, 5, 3], [4, 2, 6]]
    private static Tensor Y() => torch.from_array(new float[,] { { 1, 5, 3 }, { 4, 2, 6 } });

    [Fact]
    public void Sum_over_all_and_over_dims()
    {
        using var x = X();
        using (var r = x.sum()) Expect.Values(r, Array.Empty<long>(), new double[] { 21 });
        using (var r = x.sum(0)) Expect.Values(r, new long[] { 3 }, new double[] { 5, 7, 9 });
        using (var r = x.sum(1)) Expect.Values(r, new long[] { 2 }, new double[] { 6, 15 });
        using (var r = x.sum(-1, keepdim: true)) Expect.Values(r, new long[] { 2, 1 }, new double[] { 6, 15 });
        using (var r = x.sum(new long[] { 0, 1 })) Expect.Values(r, Array.Empty<long>(), new double[] { 21 });
        using (var r = x.sum(new long[] { 0, 1 }, keepdim: true)) Expect.Values(r, new long[] { 1, 1 }, new double[] { 21 });
        using var i = X(ScalarType.Int32);
        using (var r = i.sum()) Assert.Equal(ScalarType.Int64, r.dtype); // integer sums widen to int64
        using var b = torch.tensor(new[] { true, true, false });
        using (var r = b.sum()) Expect.Longs(r, Array.Empty<long>(), new long[] { 2 });
    }

    [Fact]
    public void Mean_var_and_std()
    {
        using var x = X();
        using (var r = x.mean()) Expect.Values(r, Array.Empty<long>(), new[] { 3.5 });
        using (var r = x.mean(1)) Expect.Values(r, new long[] { 2 }, new double[] { 2, 5 });
        using (var r = x.mean(0, keepdim: true)) Expect.Values(r, new long[] { 1, 3 }, new[] { 2.5, 3.5, 4.5 });
        using (var r = x.mean(new long[] { 1, 0 })) Expect.Values(r, Array.Empty<long>(), new[] { 3.5 });

        // Unbiased (divide by n - 1), as torch.var / torch.std default.
        using (var r = x.var()) Expect.Values(r, Array.Empty<long>(), new[] { 17.5 / 5 });
        using (var r = x.var(new long[] { 1 })) Expect.Values(r, new long[] { 2 }, new double[] { 1, 1 });
        using (var r = x.var(new long[] { 0 }, keepdim: true)) Expect.Values(r, new long[] { 1, 3 }, new[] { 4.5, 4.5, 4.5 });
        using (var r = x.std()) Expect.Values(r, Array.Empty<long>(), new[] { Math.Sqrt(3.5) });
        using (var r = x.std(new long[] { 0 })) Expect.Values(r, new long[] { 3 }, new[] { Math.Sqrt(4.5), Math.Sqrt(4.5), Math.Sqrt(4.5) });
        using (var r = x.std(new long[] { 1 }, keepdim: true)) Expect.Values(r, new long[] { 2, 1 }, new double[] { 1, 1 });
        using (var r = x.var(keepdim: true)) Expect.Values(r, new long[] { 1, 1 }, new[] { 3.5 });   // all dims, kept
        using (var r = x.std(keepdim: true)) Expect.Values(r, new long[] { 1, 1 }, new[] { Math.Sqrt(3.5) });
        using (var r = x.mean(Array.Empty<long>(), keepdim: true)) Expect.Values(r, new long[] { 1, 1 }, new[] { 3.5 });
        using (var r = x.amax(Array.Empty<long>(), keepdim: true)) Expect.Values(r, new long[] { 1, 1 }, new double[] { 6 });
        using var z = torch.tensor(new double[] { 2, 4, 4, 4, 5, 5, 7, 9 });
        using (var r = z.var()) Expect.Values(r, Array.Empty<long>(), new[] { 32.0 / 7 });
        using var i = X(ScalarType.Int64);
        Expect.TorchError(() => i.mean(), "mean(): could not infer output dtype");
    }

    [Fact]
    public void Prod_all_and_any()
    {
        using var x = X();
        using (var r = x.prod()) Expect.Values(r, Array.Empty<long>(), new double[] { 720 });
        using (var r = x.prod(1)) Expect.Values(r, new long[] { 2 }, new double[] { 6, 120 });
        using (var r = x.prod(0, keepdim: true)) Expect.Values(r, new long[] { 1, 3 }, new double[] { 4, 10, 18 });

        using var b = torch.tensor(new[] { true, false, true, true }, 2, 2);
        using (var r = b.all()) Expect.Bools(r, Array.Empty<long>(), new[] { false });
        using (var r = b.all(0)) Expect.Bools(r, true, false);
        using (var r = b.all(1, keepdim: true)) Expect.Bools(r, new long[] { 2, 1 }, new[] { false, true });
        using (var r = b.any()) Expect.Bools(r, Array.Empty<long>(), new[] { true });
        using (var r = b.any(1)) Expect.Bools(r, true, true);
        using var f = torch.tensor(new[] { false, false, true, false }, 2, 2);
        using (var r = f.any(0)) Expect.Bools(r, true, false);
        using (var r = f.any(1)) Expect.Bools(r, false, true);
        using var zeros = torch.zeros(3);
        using (var r = zeros.any()) Expect.Bools(r, Array.Empty<long>(), new[] { false });
        using (var r = x.all()) Expect.Bools(r, Array.Empty<long>(), new[] { true });
    }

    [Fact]
    public void Amax_amin_max_and_min_of_all_elements()
    {
        using var y = Y();
        using (var r = y.amax()) Expect.Values(r, Array.Empty<long>(), new double[] { 6 });
        using (var r = y.amin()) Expect.Values(r, Array.Empty<long>(), new double[] { 1 });
        using (var r = y.max()) Expect.Values(r, Array.Empty<long>(), new double[] { 6 });
        using (var r = y.min()) Expect.Values(r, Array.Empty<long>(), new double[] { 1 });
        using (var r = y.amax(0)) Expect.Values(r, new long[] { 3 }, new double[] { 4, 5, 6 });
        using (var r = y.amax(1)) Expect.Values(r, new long[] { 2 }, new double[] { 5, 6 });
        using (var r = y.amin(0)) Expect.Values(r, new long[] { 3 }, new double[] { 1, 2, 3 });
        using (var r = y.amin(-1)) Expect.Values(r, new long[] { 2 }, new double[] { 1, 2 });
        using (var r = y.amax(0, 1)) Expect.Values(r, Array.Empty<long>(), new double[] { 6 });
        using (var r = y.amax(new long[] { 1 }, keepdim: true)) Expect.Values(r, new long[] { 2, 1 }, new double[] { 5, 6 });
        using (var r = y.amin(new long[] { 0 }, keepdim: true)) Expect.Values(r, new long[] { 1, 3 }, new double[] { 1, 2, 3 });
    }

    [Fact]
    public void Max_and_min_along_a_dim_return_values_and_indices()
    {
        using var y = Y();
        var (v1, i1) = y.max(1);
        using (v1) using (i1)
        {
            Expect.Values(v1, new long[] { 2 }, new double[] { 5, 6 });
            Expect.Longs(i1, 1, 2);
        }
        var (v0, i0) = y.max(0, keepdim: true);
        using (v0) using (i0)
        {
            Expect.Values(v0, new long[] { 1, 3 }, new double[] { 4, 5, 6 });
            Expect.Longs(i0, new long[] { 1, 3 }, new long[] { 1, 0, 1 });
        }
        var (n1, j1) = y.min(1);
        using (n1) using (j1)
        {
            Expect.Values(n1, new long[] { 2 }, new double[] { 1, 2 });
            Expect.Longs(j1, 0, 1);
        }
        var (n0, j0) = y.min(-2, keepdim: true);
        using (n0) using (j0)
        {
            Expect.Values(n0, new long[] { 1, 3 }, new double[] { 1, 2, 3 });
            Expect.Longs(j0, new long[] { 1, 3 }, new long[] { 0, 1, 0 });
        }
    }

    [Fact]
    public void Argmax_and_argmin_flat_and_along_dims()
    {
        using var y = Y();
        using (var r = y.argmax()) Expect.Longs(r, Array.Empty<long>(), new long[] { 5 });
        using (var r = y.argmin()) Expect.Longs(r, Array.Empty<long>(), new long[] { 0 });
        using (var r = y.argmax(1)) Expect.Longs(r, 1, 2);
        using (var r = y.argmax(0, keepdim: true)) Expect.Longs(r, new long[] { 1, 3 }, new long[] { 1, 0, 1 });
        using (var r = y.argmin(0)) Expect.Longs(r, 0, 1, 0);
        using (var r = y.argmin(1, keepdim: true)) Expect.Longs(r, new long[] { 2, 1 }, new long[] { 0, 1 });
        using var z = torch.tensor(new float[] { 3, 9, 9, -1 });
        using (var r = z.argmax()) Expect.Longs(r, Array.Empty<long>(), new long[] { 1 }); // the first of equal maxima
    }

    // ---- gradients ----------------------------------------------------------------------------

    public static TheoryData<string> Reductions => new()
    {
        "sum", "sum0", "sum_keep", "sum_dims", "mean", "mean1", "mean_keep", "var", "var0", "var_keep", "std", "std1",
        "prod", "prod1", "amax", "amin", "amax1", "amin0_keep", "max", "min", "max_dim", "min_dim",
    };

    private static Tensor Reduce(string name, Tensor x) => name switch
    {
        "sum" => x.sum(),
        "sum0" => x.sum(0),
        "sum_keep" => x.sum(1, keepdim: true),
        "sum_dims" => x.sum(new long[] { 0, 1 }),
        "mean" => x.mean(),
        "mean1" => x.mean(1),
        "mean_keep" => x.mean(0, keepdim: true),
        "var" => x.var(),
        "var0" => x.var(new long[] { 0 }),
        "var_keep" => x.var(new long[] { 1 }, keepdim: true),
        "std" => x.std(),
        "std1" => x.std(new long[] { 1 }),
        "prod" => x.prod(),
        "prod1" => x.prod(1),
        "amax" => x.amax(),
        "amin" => x.amin(),
        "amax1" => x.amax(1),
        "amin0_keep" => x.amin(new long[] { 0 }, keepdim: true),
        "max" => x.max(),
        "min" => x.min(),
        "max_dim" => x.max(1).values,
        "min_dim" => x.min(0).values,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Reductions))]
    public void Reduction_gradients_match_finite_differences(string op)
    {
        using var x = torch.tensor(new[] { 0.3, 1.7, -0.8, 2.4, -1.3, 0.6 }, 2, 3);
        GradCheck.Check(t => Reduce(op, t[0]), x);
    }
}
