namespace Cema.Models.Data;

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018), seeded through SplitMix64. Used instead of
/// <see cref="System.Random"/> because Random's algorithm is an implementation detail that has
/// changed between .NET versions: a benchmark's corrupted images must be the same bytes on every
/// machine and runtime, forever. Only integer arithmetic, IEEE basic operations and
/// <see cref="PortableMath"/> are used, so every draw is reproducible bit for bit.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    public SeededRandom(ulong seed)
    {
        ulong state = seed;
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
    }

    /// <summary>
    /// An independent stream for one (seed, purpose, a, b), e.g. (seed, "fog", severity, image index):
    /// each image gets its own noise whatever order the images are processed in.
    /// </summary>
    public static SeededRandom For(ulong seed, string purpose, int a, int b) => new(Hash(seed, purpose, a, b));

    /// <summary>A stable 64-bit hash of (seed, purpose, a, b): FNV-1a of the name, mixed by SplitMix64's finalizer.</summary>
    public static ulong Hash(ulong seed, string purpose, int a, int b)
    {
        ulong name = 14695981039346656037UL;
        foreach (char c in purpose)
        {
            name ^= c;
            name *= 1099511628211UL;
        }
        ulong h = Mix(seed);
        h = Mix(h ^ name);
        h = Mix(h ^ (uint)a);
        return Mix(h ^ ((ulong)(uint)b << 1));
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double NextDouble(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, maxExclusive), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        ulong range = (ulong)maxExclusive;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            UInt128 product = (UInt128)NextUInt64() * range;
            if ((ulong)product >= threshold) return (int)(ulong)(product >> 64);
        }
    }

    /// <summary>Uniform integer in [minInclusive, maxInclusive].</summary>
    public int NextInt(int minInclusive, int maxInclusive) => minInclusive + NextInt(maxInclusive - minInclusive + 1);

    /// <summary>Standard normal, by Marsaglia's polar method (no sine or cosine needed).</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * PortableMath.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    public double NextGaussian(double mean, double stdDev) => mean + stdDev * NextGaussian();

    /// <summary>
    /// Poisson(λ) by Knuth's product of uniforms: exact, and cheap for the λ ≤ 60 that shot noise
    /// needs. Larger λ would underflow e^-λ, so it is refused rather than silently wrong.
    /// </summary>
    public int NextPoisson(double lambda)
    {
        if (lambda < 0 || lambda > 500) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "supported range is [0, 500]");
        if (lambda == 0) return 0;
        double limit = PortableMath.Exp(-lambda);
        int k = 0;
        double product = NextDouble();
        while (product > limit)
        {
            k++;
            product *= NextDouble();
        }
        return k;
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
