using Cema.Torch;

namespace Cema.Torch.Tests.Ops;

public class CreationTests
{
    [Fact]
    public void Zeros_ones_and_empty_have_the_requested_shape_and_dtype()
    {
        using var z = torch.zeros(2, 3);
        Expect.Values(z, new long[] { 2, 3 }, new double[6], dtype: ScalarType.Float32);

        using var zl = torch.zeros(new long[] { 4 }, ScalarType.Int64);
        Expect.Longs(zl, 0, 0, 0, 0);

        using var o = torch.ones(new long[] { 3, 1 }, ScalarType.Float64);
        Expect.Values(o, new long[] { 3, 1 }, new double[] { 1, 1, 1 }, dtype: ScalarType.Float64);

        using var ob = torch.ones(new long[] { 2 }, ScalarType.Bool);
        Expect.Bools(ob, true, true);

        using var e = torch.empty(new long[] { 2, 0, 5 }, ScalarType.Int32);
        Assert.Equal(new long[] { 2, 0, 5 }, e.shape);
        Assert.Equal(ScalarType.Int32, e.dtype);
        Assert.Equal(0, e.numel());
        Assert.Equal(3, e.dim());

        using var e2 = torch.empty(3, 4);
        Assert.Equal(new long[] { 3, 4 }, e2.shape);
        Assert.Equal(ScalarType.Float32, e2.dtype);
        Assert.Equal(12, e2.numel());
        Assert.Equal(4, e2.size(-1));
        Assert.Equal(3, e2.size(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => e2.size(2));
    }

    [Fact]
    public void Requires_grad_at_creation_makes_a_leaf_that_requires_grad()
    {
        using var z = torch.zeros(new long[] { 2 }, ScalarType.Float64, requires_grad: true);
        Assert.True(z.requires_grad);
        Assert.True(z.is_leaf);
        using var f = torch.full(new long[] { 2 }, 1.5, requires_grad: true);
        Assert.True(f.requires_grad);
        using var n = torch.ones(2);
        Assert.False(n.requires_grad);
    }

    [Fact]
    public void Full_fills_with_the_value_in_the_requested_dtype()
    {
        using var f = torch.full(new long[] { 2, 2 }, 7);
        Expect.Values(f, new long[] { 2, 2 }, new double[] { 7, 7, 7, 7 }, dtype: ScalarType.Float32);
        using var l = torch.full(new long[] { 3 }, -3L, ScalarType.Int64);
        Expect.Longs(l, -3, -3, -3);
        using var d = torch.full(new long[] { 1 }, 0.1, ScalarType.Float64);
        Assert.Equal(0.1, d.ToArray<double>()[0]);
        using var b = torch.full(new long[] { 2 }, true, ScalarType.Bool);
        Expect.Bools(b, true, true);
        using var s = torch.scalar_tensor(3.5);
        Assert.Empty(s.shape);
        Assert.Equal(3.5f, s.item<float>());
    }

    [Fact]
    public void Like_constructors_copy_shape_and_dtype()
    {
        using var src = torch.tensor(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var z = torch.zeros_like(src);
        Expect.Longs(z, new long[] { 2, 3 }, new long[6]);
        using var o = torch.ones_like(src);
        Expect.Longs(o, new long[] { 2, 3 }, new long[] { 1, 1, 1, 1, 1, 1 });
        using var f = torch.full_like(src, 9);
        Expect.Longs(f, new long[] { 2, 3 }, new long[] { 9, 9, 9, 9, 9, 9 });
    }

    [Fact]
    public void Arange_with_integers_is_int64_and_with_doubles_is_float()
    {
        using var a = torch.arange(5);
        Expect.Longs(a, 0, 1, 2, 3, 4);
        using var b = torch.arange(2, 10, 3);
        Expect.Longs(b, 2, 5, 8);
        using var c = torch.arange(5, -5, -4);
        Expect.Longs(c, 5, 1, -3);
        using var d = torch.arange(0.0, 1.0, 0.25);
        Expect.Values(d, new long[] { 4 }, new[] { 0, 0.25, 0.5, 0.75 }, dtype: ScalarType.Float32);
        using var e = torch.arange(1.0, 2.0, 0.5, ScalarType.Float64);
        Expect.Values(e, new long[] { 2 }, new[] { 1.0, 1.5 }, dtype: ScalarType.Float64);
        using var f = torch.arange(3, ScalarType.Float32);
        Expect.Values(f, new long[] { 3 }, new double[] { 0, 1, 2 }, dtype: ScalarType.Float32);
        using var g = torch.arange(0, 1, 0.3, ScalarType.Float64);
        Expect.Values(g, new long[] { 4 }, new[] { 0, 0.3, 0.6, 0.9 }, dtype: ScalarType.Float64);
    }

    [Fact]
    public void Tensor_from_arrays_keeps_dtype_shape_and_values()
    {
        using var f = torch.tensor(new float[] { 1.5f, -2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(ScalarType.Float32, f.dtype);
        Assert.Equal(new long[] { 2, 3 }, f.shape);
        Assert.Equal(new float[] { 1.5f, -2, 3, 4, 5, 6 }, f.ToArray<float>());

        using var d = torch.tensor(new double[] { Math.PI, -1e300 });
        Assert.Equal(ScalarType.Float64, d.dtype);
        Assert.Equal(new[] { Math.PI, -1e300 }, d.ToArray<double>());

        using var l = torch.tensor(new long[] { long.MaxValue, long.MinValue, 0 });
        Assert.Equal(ScalarType.Int64, l.dtype);
        Assert.Equal(new[] { long.MaxValue, long.MinValue, 0 }, l.ToArray<long>());

        using var i = torch.tensor(new int[] { int.MinValue, 7 });
        Assert.Equal(ScalarType.Int32, i.dtype);
        Assert.Equal(new[] { int.MinValue, 7 }, i.ToArray<int>());

        using var b = torch.tensor(new byte[] { 0, 255, 17, 4 }, 2, 2);
        Assert.Equal(ScalarType.Byte, b.dtype);
        Assert.Equal(new long[] { 2, 2 }, b.shape);
        Assert.Equal(new byte[] { 0, 255, 17, 4 }, b.ToArray<byte>());

        using var z = torch.tensor(new bool[] { true, false, true });
        Assert.Equal(ScalarType.Bool, z.dtype);
        Assert.Equal(new[] { true, false, true }, z.ToArray<bool>());
        using var zsum = z.sum();
        Assert.Equal(2L, zsum.item<long>());
    }

    [Fact]
    public void Tensor_data_is_copied_not_shared()
    {
        var data = new float[] { 1, 2, 3 };
        using var t = torch.tensor(data);
        data[0] = 100;
        Assert.Equal(1f, t.ToArray<float>()[0]);
        var back = t.ToArray<float>();
        back[1] = 100;
        Assert.Equal(2f, t.ToArray<float>()[1]);
    }

    [Fact]
    public void From_array_2d_is_row_major()
    {
        using var f = torch.from_array(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, f.shape);
        Assert.Equal(ScalarType.Float32, f.dtype);
        using var f10 = f[1, 0];
        Assert.Equal(4f, f10.item<float>());
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, f.ToArray<float>());

        using var d = torch.from_array(new double[,] { { 1 }, { 2 } });
        Expect.Values(d, new long[] { 2, 1 }, new double[] { 1, 2 }, dtype: ScalarType.Float64);
        using var l = torch.from_array(new long[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        Expect.Longs(l, new long[] { 3, 2 }, new long[] { 1, 2, 3, 4, 5, 6 });
    }

    [Fact]
    public void ToArray_of_a_non_contiguous_view_is_in_the_views_row_major_order()
    {
        using var t = torch.from_array(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        using var tt = t.t();
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, tt.ToArray<float>());
        var span = new float[6];
        tt.CopyTo<float>(span);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, span);
    }

    [Fact]
    public void CopyFrom_overwrites_in_place()
    {
        using var t = torch.zeros(2, 2);
        using var view = t.t();
        t.CopyFrom<float>(new float[] { 1, 2, 3, 4 });
        Assert.Equal(new float[] { 1, 3, 2, 4 }, view.ToArray<float>());
    }

    [Fact]
    public void Item_returns_the_single_value_with_its_kind()
    {
        using var f = torch.tensor(new float[] { 2.5f });
        Assert.Equal(2.5f, f.item<float>());
        Assert.Equal(2.5, f.item<double>());
        Scalar fs = f.item();
        Assert.True(fs.IsFloatingPoint);
        Assert.Equal(2.5, fs.ToDouble());

        using var l = torch.tensor(new long[] { 1L << 53 | 1 });
        Scalar ls = l.item();
        Assert.False(ls.IsFloatingPoint);
        Assert.Equal((1L << 53) | 1, ls.ToInt64()); // not rounded through a double
        Assert.Equal((1L << 53) | 1, l.item<long>());

        using var i = torch.tensor(new int[] { -7 });
        Assert.Equal(-7, i.item<int>());
        using var b = torch.tensor(new bool[] { true });
        Assert.True(b.item<bool>());
        Assert.True(b.item().ToBoolean());
        using var by = torch.tensor(new byte[] { 200 });
        Assert.Equal((byte)200, by.item<byte>());

        using var zeroDim = torch.scalar_tensor(-4, ScalarType.Int64);
        Assert.Equal(-4L, zeroDim.item<long>());
    }

    [Fact]
    public void Dtype_conversions_follow_PyTorch()
    {
        using var f = torch.tensor(new float[] { 1.7f, -1.7f, 2.5f, 0f });
        using var l = f.@long();
        Expect.Longs(l, 1, -1, 2, 0); // truncation toward zero
        using var b = f.@bool();
        Expect.Bools(b, true, true, true, false);
        using var d = f.@double();
        Assert.Equal(ScalarType.Float64, d.dtype);
        Assert.Equal(new double[] { 1.7f, -1.7f, 2.5f, 0f }, d.ToArray<double>());
        using var back = l.@float();
        Expect.Values(back, new long[] { 4 }, new double[] { 1, -1, 2, 0 }, dtype: ScalarType.Float32);
        using var i = f.to(ScalarType.Int32);
        Assert.Equal(new[] { 1, -1, 2, 0 }, i.ToArray<int>());
        using var wide = torch.tensor(new long[] { 255, 256, -1 });
        using var u = wide.to_type(ScalarType.Byte);
        Assert.Equal(new byte[] { 255, 0, 255 }, u.ToArray<byte>()); // wraps modulo 256 like PyTorch
        using var single = torch.tensor(new float[] { 1.5f, 65504f });
        using var h = single.to(ScalarType.Float16);
        Assert.Equal(ScalarType.Float16, h.dtype);
        Assert.Equal(new[] { (Half)1.5f, (Half)65504f }, h.ToArray<Half>());
        Assert.True(f.is_floating_point());
        Assert.False(l.is_floating_point());
    }

    [Fact]
    public void ToString_shows_the_values()
    {
        using var t = torch.tensor(new long[] { 11, 22 });
        var s = t.ToString();
        Assert.Contains("11", s);
        Assert.Contains("22", s);
        Assert.Contains("Long", s);
    }
}
