namespace Cema.Torch.Modules;

/// <summary>Checks and conversions for the (height, width) arguments of the 2-d layers.</summary>
internal static class Pairs
{
    internal static (long h, long w) Positive((long h, long w) v, string name) =>
        v.h > 0 && v.w > 0 ? v : throw new ArgumentOutOfRangeException(name, v, $"{name} must be positive");

    internal static (long h, long w) NonNegative((long h, long w) v, string name) =>
        v.h >= 0 && v.w >= 0 ? v : throw new ArgumentOutOfRangeException(name, v, $"{name} must be non-negative");

    internal static long[] ToArray((long h, long w) v) => new[] { v.h, v.w };
}
