using Cema.Torch.Native;

namespace Cema.Torch;

/// <summary>
/// A number that keeps its kind (floating, integral, boolean), so that <c>intTensor + 2</c> stays
/// integral and <c>intTensor + 2.0</c> promotes to floating, exactly as in PyTorch.
/// </summary>
public readonly struct Scalar
{
    internal readonly LibTorch.NativeScalar Value;

    private Scalar(double d, long i, int kind) => Value = new LibTorch.NativeScalar { D = d, I = i, Kind = kind };

    public bool IsFloatingPoint => Value.Kind == 0;
    public double ToDouble() => Value.Kind == 0 ? Value.D : Value.I;
    public long ToInt64() => Value.Kind == 0 ? (long)Value.D : Value.I;
    public bool ToBoolean() => Value.Kind == 0 ? Value.D != 0 : Value.I != 0;

    internal static Scalar FromNative(LibTorch.NativeScalar s) => new(s.D, s.I, s.Kind);

    public static implicit operator Scalar(double v) => new(v, 0, 0);
    public static implicit operator Scalar(float v) => new(v, 0, 0);
    public static implicit operator Scalar(long v) => new(v, v, 1);
    public static implicit operator Scalar(int v) => new(v, v, 1);
    public static implicit operator Scalar(bool v) => new(v ? 1 : 0, v ? 1 : 0, 2);

    public override string ToString() => Value.Kind switch
    {
        0 => Value.D.ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => Value.I.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => (Value.I != 0).ToString(),
    };
}
