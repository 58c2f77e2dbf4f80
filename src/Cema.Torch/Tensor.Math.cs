using Cema.Torch.Native;

namespace Cema.Torch;

// Element-wise arithmetic, comparisons, in-place updates, reductions and operators.
public sealed partial class Tensor
{
    internal Tensor Unary(UnaryOp op) => Status.Wrap(LibTorch.cema_unary((int)op, Handle, out var r), r);

    internal Tensor UnaryInPlace(UnaryOp op)
    {
        Status.Check(LibTorch.cema_unary_((int)op, Handle));
        return this;
    }

    internal Tensor Binary(BinaryOp op, Tensor other) => Status.Wrap(LibTorch.cema_binary((int)op, Handle, other.Handle, out var r), r);

    internal Tensor Binary(BinaryOp op, Scalar other) => Status.Wrap(LibTorch.cema_binary_scalar((int)op, Handle, other.Value, out var r), r);

    internal static Tensor Binary(BinaryOp op, Scalar left, Tensor right) => Status.Wrap(LibTorch.cema_scalar_binary((int)op, left.Value, right.Handle, out var r), r);

    internal Tensor BinaryInPlace(BinaryOp op, Tensor other)
    {
        Status.Check(LibTorch.cema_binary_((int)op, Handle, other.Handle));
        return this;
    }

    internal Tensor BinaryInPlace(BinaryOp op, Scalar other)
    {
        Status.Check(LibTorch.cema_binary_scalar_((int)op, Handle, other.Value));
        return this;
    }

    public Tensor neg() => Unary(UnaryOp.Neg);
    public Tensor exp() => Unary(UnaryOp.Exp);
    public Tensor log() => Unary(UnaryOp.Log);
    public Tensor sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor abs() => Unary(UnaryOp.Abs);
    public Tensor sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor tanh() => Unary(UnaryOp.Tanh);
    public Tensor relu() => Unary(UnaryOp.Relu);
    public Tensor sign() => Unary(UnaryOp.Sign);
    public Tensor square() => Unary(UnaryOp.Square);
    public Tensor logical_not() => Unary(UnaryOp.LogicalNot);
    public Tensor floor() => Unary(UnaryOp.Floor);
    public Tensor ceil() => Unary(UnaryOp.Ceil);
    public Tensor round() => Unary(UnaryOp.Round);
    public Tensor isnan() => Unary(UnaryOp.IsNan);
    public Tensor cos() => Unary(UnaryOp.Cos);
    public Tensor sin() => Unary(UnaryOp.Sin);

    public Tensor neg_() => UnaryInPlace(UnaryOp.Neg);
    public Tensor exp_() => UnaryInPlace(UnaryOp.Exp);
    public Tensor log_() => UnaryInPlace(UnaryOp.Log);
    public Tensor sqrt_() => UnaryInPlace(UnaryOp.Sqrt);
    public Tensor abs_() => UnaryInPlace(UnaryOp.Abs);
    public Tensor relu_() => UnaryInPlace(UnaryOp.Relu);
    public Tensor square_() => UnaryInPlace(UnaryOp.Square);

    public Tensor add(Tensor other) => Binary(BinaryOp.Add, other);
    public Tensor add(Scalar other) => Binary(BinaryOp.Add, other);
    public Tensor sub(Tensor other) => Binary(BinaryOp.Sub, other);
    public Tensor sub(Scalar other) => Binary(BinaryOp.Sub, other);
    public Tensor mul(Tensor other) => Binary(BinaryOp.Mul, other);
    public Tensor mul(Scalar other) => Binary(BinaryOp.Mul, other);
    public Tensor div(Tensor other) => Binary(BinaryOp.Div, other);
    public Tensor div(Scalar other) => Binary(BinaryOp.Div, other);
    public Tensor pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor pow(Scalar exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor remainder(Tensor other) => Binary(BinaryOp.Remainder, other);
    public Tensor remainder(Scalar other) => Binary(BinaryOp.Remainder, other);
    public Tensor floor_divide(Tensor other) => Binary(BinaryOp.FloorDivide, other);
    public Tensor floor_divide(Scalar other) => Binary(BinaryOp.FloorDivide, other);
    public Tensor maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    public Tensor minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    public Tensor logical_and(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    public Tensor logical_or(Tensor other) => Binary(BinaryOp.LogicalOr, other);

    public Tensor eq(Tensor other) => Binary(BinaryOp.Eq, other);
    public Tensor eq(Scalar other) => Binary(BinaryOp.Eq, other);
    public Tensor ne(Tensor other) => Binary(BinaryOp.Ne, other);
    public Tensor ne(Scalar other) => Binary(BinaryOp.Ne, other);
    public Tensor lt(Tensor other) => Binary(BinaryOp.Lt, other);
    public Tensor lt(Scalar other) => Binary(BinaryOp.Lt, other);
    public Tensor le(Tensor other) => Binary(BinaryOp.Le, other);
    public Tensor le(Scalar other) => Binary(BinaryOp.Le, other);
    public Tensor gt(Tensor other) => Binary(BinaryOp.Gt, other);
    public Tensor gt(Scalar other) => Binary(BinaryOp.Gt, other);
    public Tensor ge(Tensor other) => Binary(BinaryOp.Ge, other);
    public Tensor ge(Scalar other) => Binary(BinaryOp.Ge, other);

    public Tensor add_(Tensor other) => BinaryInPlace(BinaryOp.Add, other);
    public Tensor add_(Scalar other) => BinaryInPlace(BinaryOp.Add, other);
    public Tensor sub_(Tensor other) => BinaryInPlace(BinaryOp.Sub, other);
    public Tensor sub_(Scalar other) => BinaryInPlace(BinaryOp.Sub, other);
    public Tensor mul_(Tensor other) => BinaryInPlace(BinaryOp.Mul, other);
    public Tensor mul_(Scalar other) => BinaryInPlace(BinaryOp.Mul, other);
    public Tensor div_(Tensor other) => BinaryInPlace(BinaryOp.Div, other);
    public Tensor div_(Scalar other) => BinaryInPlace(BinaryOp.Div, other);
    public Tensor pow_(Scalar exponent) => BinaryInPlace(BinaryOp.Pow, exponent);
    public Tensor clamp_min_(Scalar min) => BinaryInPlace(BinaryOp.Maximum, min);
    public Tensor clamp_max_(Scalar max) => BinaryInPlace(BinaryOp.Minimum, max);

    /// <summary>this += alpha * other</summary>
    public Tensor add_(Tensor other, Scalar alpha)
    {
        Status.Check(LibTorch.cema_add_scaled_(Handle, other.Handle, alpha.Value));
        return this;
    }

    /// <summary>this += value * t1 * t2</summary>
    public Tensor addcmul_(Tensor t1, Tensor t2, Scalar value)
    {
        Status.Check(LibTorch.cema_addcmul_(Handle, t1.Handle, t2.Handle, value.Value));
        return this;
    }

    /// <summary>this += value * t1 / t2</summary>
    public Tensor addcdiv_(Tensor t1, Tensor t2, Scalar value)
    {
        Status.Check(LibTorch.cema_addcdiv_(Handle, t1.Handle, t2.Handle, value.Value));
        return this;
    }

    /// <summary>this += weight * (end - this)</summary>
    public Tensor lerp_(Tensor end, Scalar weight)
    {
        Status.Check(LibTorch.cema_lerp_(Handle, end.Handle, weight.Value));
        return this;
    }

    public Tensor clamp(Scalar? min = null, Scalar? max = null) =>
        Status.Wrap(LibTorch.cema_clamp(Handle, (min ?? 0).Value, min.HasValue ? 1 : 0, (max ?? 0).Value, max.HasValue ? 1 : 0, out var r), r);

    public Tensor copy_(Tensor source)
    {
        Status.Check(LibTorch.cema_copy_(Handle, source.Handle));
        return this;
    }

    public Tensor fill_(Scalar value)
    {
        Status.Check(LibTorch.cema_fill_(Handle, value.Value));
        return this;
    }

    public Tensor zero_()
    {
        Status.Check(LibTorch.cema_zero_(Handle));
        return this;
    }

    public Tensor matmul(Tensor other) => Status.Wrap(LibTorch.cema_matmul(Handle, other.Handle, out var r), r);

    /// <summary>True when both tensors have the same shape and the same elements.</summary>
    public bool equal(Tensor other)
    {
        Status.Check(LibTorch.cema_equal(Handle, other.Handle, out int eq));
        return eq != 0;
    }

    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        Status.Check(LibTorch.cema_allclose(Handle, other.Handle, rtol, atol, out int close));
        return close != 0;
    }

    // ---- reductions ---------------------------------------------------------------------------

    private unsafe Tensor Reduce(ReduceOp op, long[]? dims, bool keepdim)
    {
        dims ??= Array.Empty<long>();
        fixed (long* p = dims) return Status.Wrap(LibTorch.cema_reduce((int)op, Handle, p, dims.Length, keepdim ? 1 : 0, out var r), r);
    }

    public Tensor sum() => Reduce(ReduceOp.Sum, null, false);
    public Tensor sum(long dim, bool keepdim = false) => Reduce(ReduceOp.Sum, new[] { dim }, keepdim);
    public Tensor sum(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Sum, dims, keepdim);
    public Tensor mean() => Reduce(ReduceOp.Mean, null, false);
    public Tensor mean(long dim, bool keepdim = false) => Reduce(ReduceOp.Mean, new[] { dim }, keepdim);
    public Tensor mean(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Mean, dims, keepdim);
    public Tensor var(long[]? dims = null, bool keepdim = false) => Reduce(ReduceOp.Var, dims, keepdim);
    public Tensor std(long[]? dims = null, bool keepdim = false) => Reduce(ReduceOp.Std, dims, keepdim);
    public Tensor prod() => Reduce(ReduceOp.Prod, null, false);
    public Tensor prod(long dim, bool keepdim = false) => Reduce(ReduceOp.Prod, new[] { dim }, keepdim);
    public Tensor all() => Reduce(ReduceOp.All, null, false);
    public Tensor all(long dim, bool keepdim = false) => Reduce(ReduceOp.All, new[] { dim }, keepdim);
    public Tensor any() => Reduce(ReduceOp.Any, null, false);
    public Tensor any(long dim, bool keepdim = false) => Reduce(ReduceOp.Any, new[] { dim }, keepdim);
    public Tensor amax(params long[] dims) => Reduce(ReduceOp.Amax, dims, false);
    public Tensor amin(params long[] dims) => Reduce(ReduceOp.Amin, dims, false);
    public Tensor amax(long[] dims, bool keepdim) => Reduce(ReduceOp.Amax, dims, keepdim);
    public Tensor amin(long[] dims, bool keepdim) => Reduce(ReduceOp.Amin, dims, keepdim);

    /// <summary>The largest element.</summary>
    public Tensor max() => Reduce(ReduceOp.Amax, null, false);

    /// <summary>The largest elements along <paramref name="dim"/> and where they are.</summary>
    public (Tensor values, Tensor indices) max(long dim, bool keepdim = false)
    {
        Status.Check(LibTorch.cema_max_min_dim(1, Handle, dim, keepdim ? 1 : 0, out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor min() => Reduce(ReduceOp.Amin, null, false);

    public (Tensor values, Tensor indices) min(long dim, bool keepdim = false)
    {
        Status.Check(LibTorch.cema_max_min_dim(0, Handle, dim, keepdim ? 1 : 0, out var v, out var i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor argmax() => Status.Wrap(LibTorch.cema_argmax_argmin(1, Handle, 0, 0, 0, out var r), r);
    public Tensor argmax(long dim, bool keepdim = false) => Status.Wrap(LibTorch.cema_argmax_argmin(1, Handle, dim, 1, keepdim ? 1 : 0, out var r), r);
    public Tensor argmin() => Status.Wrap(LibTorch.cema_argmax_argmin(0, Handle, 0, 0, 0, out var r), r);
    public Tensor argmin(long dim, bool keepdim = false) => Status.Wrap(LibTorch.cema_argmax_argmin(0, Handle, dim, 1, keepdim ? 1 : 0, out var r), r);

    // ---- operators ----------------------------------------------------------------------------

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
    public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
    public static Tensor operator -(Scalar a, Tensor b) => Binary(BinaryOp.Sub, a, b);
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
    public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
    public static Tensor operator /(Scalar a, Tensor b) => Binary(BinaryOp.Div, a, b);
    public static Tensor operator %(Tensor a, Tensor b) => a.remainder(b);
    public static Tensor operator %(Tensor a, Scalar b) => a.remainder(b);
    public static Tensor operator -(Tensor a) => a.neg();
    public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
    public static Tensor operator <(Tensor a, Scalar b) => a.lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
    public static Tensor operator >(Tensor a, Scalar b) => a.gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
    public static Tensor operator <=(Tensor a, Scalar b) => a.le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
    public static Tensor operator >=(Tensor a, Scalar b) => a.ge(b);
    public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
    public static Tensor operator !(Tensor a) => a.logical_not();
}
