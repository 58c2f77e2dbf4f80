using Cema.Torch;

namespace Cema.Torch.Tests;

/// <summary>Assertions on tensor contents: shape first, then every element against hand-computed values.</summary>
internal static class Expect
{
    /// <summary>Shape, dtype (when given) and values within |actual - expected| &lt;= tol * (1 + |expected|). NaN matches NaN only.</summary>
    public static void Values(Tensor actual, long[] shape, double[] expected, double tol = 1e-6, ScalarType? dtype = null)
    {
        Assert.Equal(shape, actual.shape);
        if (dtype is { } d) Assert.Equal(d, actual.dtype);
        using var asDouble = actual.to(ScalarType.Float64);
        var a = asDouble.ToArray<double>();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            double e = expected[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a[i])
                : double.IsInfinity(e) ? a[i] == e
                : Math.Abs(a[i] - e) <= tol * (1 + Math.Abs(e));
            Assert.True(ok, $"element {i}: expected {e:R}, got {a[i]:R} (all: [{string.Join(", ", a)}])");
        }
    }

    public static void Values(Tensor actual, double[] expected, double tol = 1e-6) =>
        Values(actual, new long[] { expected.Length }, expected, tol);

    /// <summary>int64 tensor with exactly these elements.</summary>
    public static void Longs(Tensor actual, long[] shape, long[] expected)
    {
        Assert.Equal(ScalarType.Int64, actual.dtype);
        Assert.Equal(shape, actual.shape);
        Assert.Equal(expected, actual.ToArray<long>());
    }

    public static void Longs(Tensor actual, params long[] expected) => Longs(actual, new long[] { expected.Length }, expected);

    /// <summary>bool tensor with exactly these elements.</summary>
    public static void Bools(Tensor actual, long[] shape, bool[] expected)
    {
        Assert.Equal(ScalarType.Bool, actual.dtype);
        Assert.Equal(shape, actual.shape);
        Assert.Equal(expected, actual.ToArray<bool>());
    }

    public static void Bools(Tensor actual, params bool[] expected) => Bools(actual, new long[] { expected.Length }, expected);

    /// <summary>A TorchException whose message contains LibTorch's own text.</summary>
    public static TorchException TorchError(Func<object?> action, string libTorchText)
    {
        TorchException e = Assert.Throws<TorchException>(() =>
        {
            var r = action();
            (r as IDisposable)?.Dispose();
        });
        Assert.Contains(libTorchText, e.Message);
        return e;
    }

    public static TorchException TorchError(Action action, string libTorchText)
    {
        var e = Assert.Throws<TorchException>(action);
        Assert.Contains(libTorchText, e.Message);
        return e;
    }
}
