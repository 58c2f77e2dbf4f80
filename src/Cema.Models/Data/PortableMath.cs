namespace Cema.Models.Data;

/// <summary>
/// exp, log, sin, cos and pow built only from IEEE-754 +, −, ×, ÷ and exact operations.
/// <see cref="Math.Exp(double)"/> and friends call the platform's C library, whose last-bit results
/// differ between glibc, musl, the Windows CRT and macOS; a corrupted benchmark image must not
/// change with the machine it was generated on. Accurate to about 1e-15 relative on the ranges
/// the corruptions use, which is far below the 1/255 that a uint8 pixel can show.
/// </summary>
public static class PortableMath
{
    // fdlibm's split of ln 2 and π/2: the high parts have trailing zero bits, so k × hi is exact.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double PiOver2Hi = 1.57079632673412561417e+00;
    private const double PiOver2Lo = 6.07710050650619224932e-11;
    private const double TwoOverPi = 6.36619772367581382433e-01;
    private const double Sqrt2 = 1.41421356237309504880;

    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.78) return double.PositiveInfinity;
        if (x < -745.2) return 0;
        double k = Math.Round(x * InvLn2);
        double r = (x - k * Ln2Hi) - k * Ln2Lo;
        // |r| ≤ ln2/2, where the Taylor series to r^15 is exact to well below one ulp.
        double p = 1;
        for (int n = 15; n >= 1; n--) p = 1 + r * p / n;
        return Math.ScaleB(p, (int)k);
    }

    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;
        int exponentAdjust = 0;
        if (x < 2.2250738585072014e-308)
        {
            x *= 18014398509481984.0; // 2^54: subnormals get a normal exponent
            exponentAdjust = -54;
        }
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1023 + exponentAdjust;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            exponent++;
        }
        // log m = 2 atanh(f) with |f| ≤ 0.172, a fast series.
        double f = (m - 1) / (m + 1);
        double f2 = f * f;
        double p = 1.0 / 27;
        for (int j = 12; j >= 0; j--) p = 1.0 / (2 * j + 1) + f2 * p;
        return exponent * Ln2Hi + (2 * f * p + exponent * Ln2Lo);
    }

    /// <summary>x^y for x ≥ 0.</summary>
    public static double Pow(double x, double y)
    {
        if (x < 0) throw new ArgumentOutOfRangeException(nameof(x), x, "only non-negative bases are supported");
        if (y == 0) return 1;
        if (x == 0) return y > 0 ? 0 : double.PositiveInfinity;
        return Exp(y * Log(x));
    }

    public static double Sin(double x) => SinCos(x).Sin;

    public static double Cos(double x) => SinCos(x).Cos;

    /// <summary>Sine and cosine for |x| ≤ 1e6 (the corruptions only need angles of a few radians).</summary>
    public static (double Sin, double Cos) SinCos(double x)
    {
        if (!(Math.Abs(x) <= 1e6)) throw new ArgumentOutOfRangeException(nameof(x), x, "supported range is |x| ≤ 1e6");
        double k = Math.Round(x * TwoOverPi);
        double r = (x - k * PiOver2Hi) - k * PiOver2Lo;
        double r2 = r * r;
        // Taylor series on |r| ≤ π/4, to r^19 and r^20.
        double s = 1, c = 1;
        for (int n = 19; n >= 3; n -= 2) s = 1 - r2 * s / (n * (n - 1));
        for (int n = 20; n >= 2; n -= 2) c = 1 - r2 * c / (n * (n - 1));
        s *= r;
        int quadrant = (int)((long)k & 3);
        return quadrant switch
        {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        };
    }
}
