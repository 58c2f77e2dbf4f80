using Cema.Torch;
using Cema.Torch.Native;

namespace Cema.Torch.Tests.Ops;

public class MathTests
{
    private static Tensor F(params float[] v) => torch.tensor(v);
    private static Tensor D(params double[] v) => torch.tensor(v);
    private static Tensor L(params long[] v) => torch.tensor(v);

    private const double Ln2 = 0.69314718055994531;
    private const double Ln3 = 1.0986122886681098;

    // ---- unary ----------------------------------------------------------------------------------

    [Fact]
    public void Unary_ops_match_hand_computed_values()
    {
        void Check(Func<Tensor, Tensor> op, double[] input, double[] expected)
        {
            using var x = torch.tensor(input.Select(v => (float)v).ToArray());
            using var y = op(x);
            Assert.Equal(ScalarType.Float32, y.dtype);
            Expect.Values(y, expected);
            Assert.Equal(input.Select(v => (float)v), x.ToArray<float>()); // out of place
        }

        Check(t => t.neg(), new[] { 1, -2, 0.5 }, new[] { -1, 2, -0.5 });
        Check(t => -t, new[] { 1, -2, 0.5 }, new[] { -1, 2, -0.5 });
        Check(t => t.exp(), new[] { 0, 1, -1.0 }, new[] { 1, Math.E, 1 / Math.E });
        Check(t => t.log(), new[] { 1, Math.E, 0.5, 0, -1 }, new[] { 0, 1, -Ln2, double.NegativeInfinity, double.NaN });
        Check(t => t.sqrt(), new[] { 0, 4, 2.25, -1 }, new[] { 0, 2, 1.5, double.NaN });
        Check(t => t.rsqrt(), new[] { 4, 0.25, 1, 0 }, new[] { 0.5, 2, 1, double.PositiveInfinity });
        Check(t => t.abs(), new[] { -3, 0, 2.5 }, new[] { 3, 0, 2.5 });
        Check(t => t.sigmoid(), new[] { 0, Ln3, -Ln3, 100, -100 }, new[] { 0.5, 0.75, 0.25, 1, 0 });
        Check(t => t.tanh(), new[] { 0, Ln2, -Ln2, 20 }, new[] { 0, 0.6, -0.6, 1 });
        Check(t => t.relu(), new[] { -1, 0, 2.0 }, new[] { 0, 0, 2.0 });
        Check(t => t.sign(), new[] { -3, 0, 2.0 }, new[] { -1, 0, 1.0 });
        Check(t => t.square(), new[] { -3, 0.5 }, new[] { 9, 0.25 });
        Check(t => t.floor(), new[] { -1.5, 1.5, 2, -0.2 }, new[] { -2, 1, 2, -1.0 });
        Check(t => t.ceil(), new[] { -1.5, 1.5, 2, 0.2 }, new[] { -1, 2, 2, 1.0 });
        Check(t => t.round(), new[] { 0.5, 1.5, 2.5, -0.5, 1.4, -1.6 }, new[] { 0, 2, 2, 0, 1, -2.0 }); // half to even
        Check(t => t.cos(), new[] { 0, Math.PI, Math.PI / 3 }, new[] { 1, -1, 0.5 });
        Check(t => t.sin(), new[] { 0, Math.PI / 2, Math.PI / 6, -Math.PI / 2 }, new[] { 0, 1, 0.5, -1 });
    }

    [Fact]
    public void Logical_not_and_isnan_give_bool()
    {
        using var b = torch.tensor(new[] { true, false });
        using var nb = b.logical_not();
        Expect.Bools(nb, false, true);
        using var nb2 = !b;
        Expect.Bools(nb2, false, true);
        using var f = F(0, 2, -0.5f);
        using var nf = f.logical_not();
        Expect.Bools(nf, true, false, false);
        using var n = F(float.NaN, 1, float.PositiveInfinity);
        using var isn = n.isnan();
        Expect.Bools(isn, true, false, false);
    }

    [Fact]
    public void Unary_ops_on_integers_keep_or_promote_dtype_as_PyTorch()
    {
        using var x = L(-3, 0, 4);
        using var a = x.abs();
        Expect.Longs(a, 3, 0, 4);
        using var n = x.neg();
        Expect.Longs(n, 3, 0, -4);
        using var s = x.square();
        Expect.Longs(s, 9, 0, 16);
        using var r = x.sqrt(); // integer inputs of floating functions become float32
        Expect.Values(r, new long[] { 3 }, new[] { double.NaN, 0, 2 }, dtype: ScalarType.Float32);
        using var e = x.exp();
        Assert.Equal(ScalarType.Float32, e.dtype);
    }

    [Fact]
    public void In_place_unary_ops_modify_and_return_the_same_tensor()
    {
        void Check(Func<Tensor, Tensor> op, double[] input, double[] expected)
        {
            using var x = torch.tensor(input);
            using var before = x.alias();
            var r = op(x);
            Assert.Same(x, r);
            Expect.Values(before, expected);
        }
        Check(t => t.neg_(), new[] { 1, -2.0 }, new[] { -1, 2.0 });
        Check(t => t.exp_(), new[] { 0, 1.0 }, new[] { 1, Math.E });
        Check(t => t.log_(), new[] { 1, 0.5 }, new[] { 0, -Ln2 });
        Check(t => t.sqrt_(), new[] { 9, 0.25 }, new[] { 3, 0.5 });
        Check(t => t.abs_(), new[] { -9, 0.25 }, new[] { 9, 0.25 });
        Check(t => t.relu_(), new[] { -9, 0.25 }, new[] { 0, 0.25 });
        Check(t => t.square_(), new[] { -3, 0.5 }, new[] { 9, 0.25 });
    }

    // ---- binary ---------------------------------------------------------------------------------

    [Fact]
    public void Binary_ops_with_tensors()
    {
        using var a = F(1, 2, 3);
        using var b = F(4, 5, 6);
        using (var r = a + b) Expect.Values(r, new double[] { 5, 7, 9 });
        using (var r = a - b) Expect.Values(r, new double[] { -3, -3, -3 });
        using (var r = a * b) Expect.Values(r, new double[] { 4, 10, 18 });
        using (var r = a / b) Expect.Values(r, new[] { 0.25, 0.4, 0.5 });
        using (var r = a.pow(b)) Expect.Values(r, new double[] { 1, 32, 729 });
        using (var r = a.add(b)) Expect.Values(r, new double[] { 5, 7, 9 });
        using (var r = b.sub(a)) Expect.Values(r, new double[] { 3, 3, 3 });
        using (var r = a.mul(b)) Expect.Values(r, new double[] { 4, 10, 18 });
        using (var r = b.div(a)) Expect.Values(r, new[] { 4, 2.5, 2 });
        using var c = F(1, 5, 3);
        using var d = F(4, 2, 3);
        using (var r = c.maximum(d)) Expect.Values(r, new double[] { 4, 5, 3 });
        using (var r = c.minimum(d)) Expect.Values(r, new double[] { 1, 2, 3 });
        using (var r = a / F(0, 0, 0)) Expect.Values(r, new[] { double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity });
    }

    [Fact]
    public void Binary_ops_with_a_scalar_on_either_side()
    {
        using var a = F(1, 2, 4);
        using (var r = a + 1) Expect.Values(r, new double[] { 2, 3, 5 });
        using (var r = 10 + a) Expect.Values(r, new double[] { 11, 12, 14 });
        using (var r = a - 1) Expect.Values(r, new double[] { 0, 1, 3 });
        using (var r = 1 - a) Expect.Values(r, new double[] { 0, -1, -3 });
        using (var r = a * 2) Expect.Values(r, new double[] { 2, 4, 8 });
        using (var r = 3 * a) Expect.Values(r, new double[] { 3, 6, 12 });
        using (var r = a / 2) Expect.Values(r, new[] { 0.5, 1, 2 });
        using (var r = 2 / a) Expect.Values(r, new[] { 2, 1, 0.5 });
        using (var r = 1.5 - a) Expect.Values(r, new[] { 0.5, -0.5, -2.5 });
        using (var r = a.pow(2)) Expect.Values(r, new double[] { 1, 4, 16 });
        using (var r = a.pow(0.5)) Expect.Values(r, new[] { 1, Math.Sqrt(2), 2 });
        foreach (var r in new[] { a + 1, 1 - a, 2 / a, 3 * a })
            using (r) Assert.Equal(ScalarType.Float32, r.dtype);
    }

    [Fact]
    public void Scalar_on_the_left_for_the_other_binary_ops()
    {
        // Reached through the internal scalar-first entry point (e.g. torch.pow(2, t), 7 % t, 2 < t).
        using var t = L(1, 2, 3);
        using (var r = Tensor.Binary(BinaryOp.Pow, 2, t)) Expect.Longs(r, 2, 4, 8);
        using (var r = Tensor.Binary(BinaryOp.Remainder, 7, t)) Expect.Longs(r, 0, 1, 1);
        using (var r = Tensor.Binary(BinaryOp.Lt, 2, t)) Expect.Bools(r, false, false, true);
        using (var r = Tensor.Binary(BinaryOp.Ge, 2, t)) Expect.Bools(r, true, true, false);
        using (var r = Tensor.Binary(BinaryOp.Maximum, 2.5, t)) Expect.Values(r, new long[] { 3 }, new[] { 2.5, 2.5, 3 }, dtype: ScalarType.Float32);
        using (var r = Tensor.Binary(BinaryOp.FloorDivide, 7, t)) Expect.Longs(r, 7, 3, 2);
        using (var r = Tensor.Binary(BinaryOp.Div, 3, t)) Expect.Values(r, new long[] { 3 }, new[] { 3, 1.5, 1 }, dtype: ScalarType.Float32);
    }

    [Fact]
    public void Broadcasting_follows_numpy_rules()
    {
        using var col = torch.tensor(new float[] { 10, 20 }, 2, 1);
        using var row = F(1, 2, 3);
        using (var r = col + row) Expect.Values(r, new long[] { 2, 3 }, new double[] { 11, 12, 13, 21, 22, 23 });
        using (var r = col * row) Expect.Values(r, new long[] { 2, 3 }, new double[] { 10, 20, 30, 20, 40, 60 });
        using var m = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using (var r = m - row) Expect.Values(r, new long[] { 2, 3 }, new double[] { 0, 0, 0, 3, 3, 3 });
        using var s = torch.scalar_tensor(2);
        using (var r = m / s) Expect.Values(r, new long[] { 2, 3 }, new[] { 0.5, 1, 1.5, 2, 2.5, 3 });
        using var bad = F(1, 2);
        Expect.TorchError(() => m + bad, "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
    }

    [Fact]
    public void Type_promotion_between_integers_floats_and_scalars()
    {
        using var i = L(1, 2, 3);
        using (var r = i + 2) Expect.Longs(r, 3, 4, 5);                 // int tensor + int scalar stays int64
        using (var r = i * 2) Expect.Longs(r, 2, 4, 6);
        using (var r = 1 - i) Expect.Longs(r, 0, -1, -2);
        using (var r = i + 2.5) Expect.Values(r, new long[] { 3 }, new[] { 3.5, 4.5, 5.5 }, dtype: ScalarType.Float32);
        using (var r = i / 2) Expect.Values(r, new long[] { 3 }, new[] { 0.5, 1, 1.5 }, dtype: ScalarType.Float32); // true division
        using (var r = 2 / i) Expect.Values(r, new long[] { 3 }, new[] { 2, 1, 2 / 3.0 }, dtype: ScalarType.Float32);
        using var i32 = torch.tensor(new[] { 1, 2 });
        using (var r = i32 + 5L) Assert.Equal(ScalarType.Int32, r.dtype);  // a scalar does not widen within a category
        using var i64 = L(1, 2);
        using (var r = i32 + i64) Assert.Equal(ScalarType.Int64, r.dtype);
        using var f32 = F(1, 2);
        using var f64 = D(1, 2);
        using (var r = f32 + f64) Assert.Equal(ScalarType.Float64, r.dtype);
        using (var r = i64 + f32) Expect.Values(r, new long[] { 2 }, new double[] { 2, 4 }, dtype: ScalarType.Float32);
        using var zeroDim64 = torch.scalar_tensor(1.0, ScalarType.Float64);
        using (var r = f32 + zeroDim64) Assert.Equal(ScalarType.Float32, r.dtype); // 0-dim tensors act like scalars
        using (var r = i64 + zeroDim64) Assert.Equal(ScalarType.Float64, r.dtype); // ... unless of a higher category
        using var b = torch.tensor(new[] { true, false });
        using (var r = b + i64) Expect.Longs(r, 2, 2);
        using (var r = b * 1.5) Expect.Values(r, new long[] { 2 }, new[] { 1.5, 0 }, dtype: ScalarType.Float32);
    }

    [Fact]
    public void Remainder_floor_divide_and_pow()
    {
        using var x = F(-7, 7, 5.5f);
        using (var r = x % 3) Expect.Values(r, new[] { 2, 1, 2.5 });            // sign of the divisor, as Python
        using (var r = x.remainder(-3)) Expect.Values(r, new[] { -1, -2, -0.5 });
        using var xi = L(-7, 7);
        using (var r = xi % 3) Expect.Longs(r, 2, 1);
        using (var r = xi.remainder(L(3, -3))) Expect.Longs(r, 2, -2);
        using (var r = xi.floor_divide(2)) Expect.Longs(r, -4, 3);                // floor, not truncation
        using (var r = xi.floor_divide(L(2, -2))) Expect.Longs(r, -4, -4);
        using (var r = x.floor_divide(2)) Expect.Values(r, new[] { -4, 3, 2.0 });
        using (var r = xi.pow(2)) Expect.Longs(r, 49, 49);
        using var b = F(2, 3);
        using var e = F(3, 2);
        using (var r = b.pow(e)) Expect.Values(r, new double[] { 8, 9 });
        using (var r = b.pow(-1)) Expect.Values(r, new[] { 0.5, 1 / 3.0 });
        Expect.TorchError(() => xi.pow(-1), "Integers to negative integer powers are not allowed");
    }

    [Fact]
    public void Comparisons_and_logical_operators()
    {
        using var a = F(1, 2, 3);
        using var b = F(3, 2, 1);
        using (var r = a < 2) Expect.Bools(r, true, false, false);
        using (var r = a > 2) Expect.Bools(r, false, false, true);
        using (var r = a <= 2) Expect.Bools(r, true, true, false);
        using (var r = a >= 2) Expect.Bools(r, false, true, true);
        using (var r = a < b) Expect.Bools(r, true, false, false);
        using (var r = a > b) Expect.Bools(r, false, false, true);
        using (var r = a <= b) Expect.Bools(r, true, true, false);
        using (var r = a >= b) Expect.Bools(r, false, true, true);
        using (var r = a.eq(b)) Expect.Bools(r, false, true, false);
        using (var r = a.ne(b)) Expect.Bools(r, true, false, true);
        using (var r = a.eq(3)) Expect.Bools(r, false, false, true);
        using (var r = a.ne(3)) Expect.Bools(r, true, true, false);
        using (var r = a.lt(b)) Expect.Bools(r, true, false, false);
        using (var r = a.le(2)) Expect.Bools(r, true, true, false);
        using (var r = a.gt(b)) Expect.Bools(r, false, false, true);
        using (var r = a.ge(3)) Expect.Bools(r, false, false, true);
        using var i = L(1, 2, 3);
        using (var r = i < 2.5) Expect.Bools(r, true, true, false); // compared as floating

        using var p = torch.tensor(new[] { true, true, false, false });
        using var q = torch.tensor(new[] { true, false, true, false });
        using (var r = p & q) Expect.Bools(r, true, false, false, false);
        using (var r = p | q) Expect.Bools(r, true, true, true, false);
        using (var r = !p) Expect.Bools(r, false, false, true, true);
        using (var lt = a < 3)
        using (var gt = a > 1)
        using (var r = lt & gt) Expect.Bools(r, false, true, false);
        using var nums = F(0, 2, 0, -1);
        using (var r = nums.logical_and(q)) Expect.Bools(r, false, false, false, false);
        using (var r = nums.logical_or(q)) Expect.Bools(r, true, true, true, true);
    }

    // ---- in-place -------------------------------------------------------------------------------

    [Fact]
    public void In_place_arithmetic()
    {
        using var a = F(1, 2, 3);
        using var b = F(4, 5, 6);
        Assert.Same(a, a.add_(b, 2));
        Expect.Values(a, new double[] { 9, 12, 15 });
        a.add_(b, -0.5);
        Expect.Values(a, new double[] { 7, 9.5, 12 });
        a.add_(b).sub_(1).mul_(2).div_(b);                         // ((a + b) - 1) * 2 / b
        Expect.Values(a, new[] { 20.0 / 4, 27.0 / 5, 34.0 / 6 });
        a.fill_(2).pow_(3).add_(1).mul_(b).sub_(b).div_(2);        // (2^3 + 1) * b - b) / 2 = 4b
        Expect.Values(a, new double[] { 16, 20, 24 });

        using var c = F(1, 2);
        c.addcmul_(F(3, 4), F(5, 6), 0.5);                          // 1 + 0.5*3*5, 2 + 0.5*4*6
        Expect.Values(c, new[] { 8.5, 14 });
        using var d = F(1, 2);
        d.addcdiv_(F(3, 4), F(6, 8), 2);                            // 1 + 2*3/6, 2 + 2*4/8
        Expect.Values(d, new double[] { 2, 3 });
        using var e = F(0, 10);
        e.lerp_(F(10, 20), 0.25);                                   // e + 0.25 * (end - e)
        Expect.Values(e, new[] { 2.5, 12.5 });

        using var f = F(-2, 0.5f, 3);
        f.clamp_min_(0);
        Expect.Values(f, new[] { 0, 0.5, 3 });
        f.clamp_max_(1);
        Expect.Values(f, new[] { 0, 0.5, 1 });
        f.zero_();
        Expect.Values(f, new double[] { 0, 0, 0 });
        f.fill_(3.5);
        Expect.Values(f, new[] { 3.5, 3.5, 3.5 });
    }

    [Fact]
    public void In_place_ops_on_a_view_change_the_base_and_cannot_change_dtype()
    {
        using var m = torch.zeros(new long[] { 2, 2 }, ScalarType.Int64);
        using (var row = m[1]) row.add_(5);
        using (var col = m[.., 0]) col.mul_(3).sub_(L(1, 2));
        Expect.Longs(m, new long[] { 2, 2 }, new long[] { -1, 0, 13, 5 });
        Expect.TorchError(() => m.add_(2.5), "result type Float can't be cast to the desired output type Long");
        Expect.TorchError(() => m.add_(F(1, 2)), "result type Float can't be cast to the desired output type Long");
    }

    [Fact]
    public void Copy_converts_dtype_and_broadcasts()
    {
        using var dst = torch.zeros(2, 3);
        using var src = L(1, 2, 3);
        Assert.Same(dst, dst.copy_(src));
        Expect.Values(dst, new long[] { 2, 3 }, new double[] { 1, 2, 3, 1, 2, 3 });
        using var li = torch.zeros(new long[] { 2 }, ScalarType.Int64);
        li.copy_(F(1.7f, -1.7f));
        Expect.Longs(li, 1, -1);
        using var t = dst.t();
        using var src2 = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        t.copy_(src2);                                             // writes through the transposed view
        Expect.Values(dst, new long[] { 2, 3 }, new double[] { 1, 3, 5, 2, 4, 6 });
        using var wrong = F(1, 2);
        Expect.TorchError(() => dst.copy_(wrong), "must match the size of tensor b");
    }

    [Fact]
    public void Clamp_with_one_or_both_bounds()
    {
        using var x = F(-2, 0.5f, 3);
        using (var r = x.clamp(min: 0)) Expect.Values(r, new[] { 0, 0.5, 3 });
        using (var r = x.clamp(max: 1)) Expect.Values(r, new[] { -2, 0.5, 1 });
        using (var r = x.clamp(0, 1)) Expect.Values(r, new[] { 0, 0.5, 1 });
        using (var r = x.clamp(-1.5, 2.5)) Expect.Values(r, new[] { -1.5, 0.5, 2.5 });
        using var i = L(-5, 0, 5);
        using (var r = i.clamp(-1, 1)) Expect.Longs(r, -1, 0, 1);
        Expect.TorchError(() => x.clamp(), "At least one of 'min' or 'max' must not be None");
        Expect.Values(x, new[] { -2, 0.5, 3 });
    }

    // ---- linear algebra and comparisons of whole tensors -------------------------------------

    [Fact]
    public void Matmul_for_matrices_vectors_and_batches()
    {
        using var a = torch.from_array(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        using var b = torch.from_array(new float[,] { { 7, 8 }, { 9, 10 }, { 11, 12 } });
        using (var r = a.matmul(b)) Expect.Values(r, new long[] { 2, 2 }, new double[] { 58, 64, 139, 154 });
        using var v = F(1, 0, -1);
        using (var r = a.matmul(v)) Expect.Values(r, new long[] { 2 }, new double[] { -2, -2 });
        using var u = F(4, 5, 6);
        using var w = F(1, 2, 3);
        using (var r = w.matmul(u)) Expect.Values(r, Array.Empty<long>(), new double[] { 32 });
        using var batch = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 1, 2);
        using var m = torch.from_array(new float[,] { { 1, 1 }, { 0, 1 } });
        using (var r = batch.matmul(m)) Expect.Values(r, new long[] { 2, 1, 2 }, new double[] { 1, 3, 3, 7 });
        using var li = torch.from_array(new long[,] { { 1, 2 }, { 3, 4 } });
        using (var r = li.matmul(li)) Expect.Longs(r, new long[] { 2, 2 }, new long[] { 7, 10, 15, 22 });
        Expect.TorchError(() => a.matmul(a), "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)");
    }

    [Fact]
    public void Equal_and_allclose()
    {
        using var a = F(1, 2);
        using var same = F(1, 2);
        using var other = F(1, 3);
        using var longer = F(1, 2, 3);
        using var col = torch.tensor(new float[] { 1, 2 }, 2, 1);
        Assert.True(a.equal(same));
        Assert.False(a.equal(other));
        Assert.False(a.equal(longer));
        Assert.False(a.equal(col));

        using var near = F(1.000001f, 2);
        using var far = F(1.001f, 2);
        Assert.True(a.allclose(near));
        Assert.False(a.allclose(far));
        Assert.True(a.allclose(far, atol: 0.01));
        Assert.True(a.allclose(far, rtol: 0.01));
        using var nan = F(float.NaN, 2);
        Assert.False(nan.allclose(nan));
        Assert.False(nan.equal(nan));
    }

    // ---- gradients --------------------------------------------------------------------------

    private static readonly double[] Mixed = { 0.3, 1.7, -0.8, 2.4, -1.3, 0.6 };
    private static readonly double[] Positive = { 0.3, 1.7, 0.8, 2.4, 1.3, 0.6 };
    private static readonly double[] Other = { 1.1, -0.4, 0.9, 0.5, 2.2, -1.6 };

    private static Tensor M(double[] v) => torch.tensor(v, 2, 3);

    public static TheoryData<string> UnaryOps => new() { "neg", "exp", "log", "sqrt", "rsqrt", "abs", "sigmoid", "tanh", "relu", "square", "cos", "sin", "neg_op" };

    private static Tensor Unary(string name, Tensor x) => name switch
    {
        "neg" => x.neg(),
        "neg_op" => -x,
        "exp" => x.exp(),
        "log" => x.log(),
        "sqrt" => x.sqrt(),
        "rsqrt" => x.rsqrt(),
        "abs" => x.abs(),
        "sigmoid" => x.sigmoid(),
        "tanh" => x.tanh(),
        "relu" => x.relu(),
        "square" => x.square(),
        "cos" => x.cos(),
        "sin" => x.sin(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_gradients_match_finite_differences(string op)
    {
        bool positiveOnly = op is "log" or "sqrt" or "rsqrt";
        using var x = M(positiveOnly ? Positive : Mixed);
        GradCheck.Check(t => Unary(op, t[0]), x);
    }

    [Fact]
    public void Piecewise_constant_ops_have_zero_gradient()
    {
        using var x = M(Mixed);
        GradCheck.Check(t => t[0].floor(), new[] { x }, null, expectNonZero: false);
        GradCheck.Check(t => t[0].ceil(), new[] { x }, null, expectNonZero: false);
        GradCheck.Check(t => t[0].round(), new[] { x }, null, expectNonZero: false);
        GradCheck.Check(t => t[0].sign(), new[] { x }, null, expectNonZero: false);
        using var y = x.detach().requires_grad_();
        using var s = y.floor().sum();
        s.backward();
        using var g = y.grad!;
        Expect.Values(g, new long[] { 2, 3 }, new double[6]);
    }

    public static TheoryData<string> BinaryOps => new()
    {
        "add", "sub", "mul", "div", "pow", "maximum", "minimum", "broadcast_add", "broadcast_mul", "broadcast_div",
        "scalar_add", "scalar_sub", "scalar_mul", "scalar_div", "scalar_pow", "scalar_pow_half", "rsub", "rdiv", "radd", "rmul",
        "remainder", "clamp_both", "clamp_min", "clamp_max", "matmul", "matvec", "masked_fill", "where", "to_float_and_back",
    };

    private static Tensor BinaryFn(string name, Tensor a, Tensor b) => name switch
    {
        "add" => a + b,
        "sub" => a - b,
        "mul" => a * b,
        "div" => a / b,
        "pow" => a.abs().pow(b),
        "maximum" => a.maximum(b),
        "minimum" => a.minimum(b),
        "broadcast_add" => a + b.select(0, 1),
        "broadcast_mul" => a * b.slice(1, 0, 1),
        "broadcast_div" => b.select(1, 0).unsqueeze(1) / a.select(0, 0),
        "scalar_add" => a + 2 + b,
        "scalar_sub" => a - 2.5 + b,
        "scalar_mul" => a * 3 * b,
        "scalar_div" => a / 4 + b,
        "scalar_pow" => a.pow(3) + b,
        "scalar_pow_half" => a.abs().pow(0.5) * b,
        "rsub" => 1 - a * b,
        "rdiv" => 2 / (a * b),
        "radd" => 10 + a * b,
        "rmul" => 3 * (a - b),
        "remainder" => (a * b) % 0.7,
        "clamp_both" => (a * b).clamp(-0.5, 1.0),
        "clamp_min" => (a * b).clamp(min: 0.1),
        "clamp_max" => (a * b).clamp(max: 0.1),
        "matmul" => a.matmul(b.t()),
        "matvec" => a.matmul(b.select(0, 0)),
        "masked_fill" => (a * b).masked_fill(torch.tensor(new[] { true, false, true }), 0.5),
        "where" => torch.where(torch.tensor(new[] { true, false, false, true, true, false }, 2, 3), a, b),
        "to_float_and_back" => a.to(ScalarType.Float32).to(ScalarType.Float64) * 0 + a * b,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_gradients_match_finite_differences(string op)
    {
        using var a = M(Mixed);
        using var b = M(Other);
        GradCheck.Check(t => BinaryFn(op, t[0], t[1]), a, b);
    }

    public static TheoryData<string> InPlaceOps => new() { "add_", "add_alpha", "sub_", "mul_", "div_", "pow_", "addcmul_", "addcdiv_", "lerp_", "clamp_min_", "clamp_max_", "copy_into_view" };

    private static Tensor InPlace(string name, Tensor a, Tensor b)
    {
        var y = a * 1; // a non-leaf to modify
        return name switch
        {
            "add_" => y.add_(b),
            "add_alpha" => y.add_(b, -2.5),
            "sub_" => y.sub_(b).sub_(0.5),
            "mul_" => y.mul_(b).mul_(3),
            "div_" => y.div_(b).div_(2),
            "pow_" => y.abs_().pow_(2.5).mul_(b),
            "addcmul_" => y.addcmul_(b, a, 0.75),
            "addcdiv_" => y.addcdiv_(a, b, -1.5),
            "lerp_" => y.lerp_(b, 0.3),
            "clamp_min_" => y.mul_(b).clamp_min_(0.1),
            "clamp_max_" => y.mul_(b).clamp_max_(0.1),
            "copy_into_view" => CopyIntoView(y, b),
            _ => throw new ArgumentException(name),
        };
    }

    private static Tensor CopyIntoView(Tensor y, Tensor b)
    {
        y.select(1, 1).copy_(b.select(1, 2) * 2);
        return y;
    }

    [Theory]
    [MemberData(nameof(InPlaceOps))]
    public void In_place_gradients_match_finite_differences(string op)
    {
        using var a = M(Mixed);
        using var b = M(Other);
        GradCheck.Check(t => InPlace(op, t[0], t[1]), a, b);
    }
}
