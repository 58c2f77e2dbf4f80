using System.Globalization;
using System.Text;

namespace Cema.Models.Data;

/// <summary>
/// One of ImageNet-C's 19 corruptions (Hendrycks &amp; Dietterich 2019), adapted to 28×28 grayscale
/// Fashion-MNIST. Every application is a pure function of (image, severity, seed, image index):
/// the noise comes from a <see cref="SeededRandom"/> seeded by those values and the corruption's
/// name, so a benchmark image is reproducible on any machine and in any processing order.
/// docs/CORRUPTIONS.md lists every parameter and how it differs from ImageNet-C.
/// </summary>
public abstract class Corruption
{
    public const int MinSeverity = 1;
    public const int MaxSeverity = 5;

    /// <summary>ImageNet-C's function name, e.g. "gaussian_noise".</summary>
    public abstract string Name { get; }

    /// <summary>noise, blur, weather or digital, as ImageNet-C groups them.</summary>
    public abstract string Family { get; }

    /// <summary>True for the four held-out corruptions meant for choosing hyper-parameters, never for reporting.</summary>
    public virtual bool IsValidation => false;

    /// <summary>Column names of <see cref="ParameterValues"/>.</summary>
    public abstract IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The values the code uses at a severity, formatted for the parameter table.</summary>
    public abstract IReadOnlyList<string> ParameterValues(int severity);

    /// <summary>Corrupts one 28×28 uint8 image (784 bytes, row-major) and returns a new one.</summary>
    public byte[] Apply(ReadOnlySpan<byte> image, int severity, ulong seed, int index)
    {
        if (image.Length != Dataset.PixelsPerImage)
            throw new ArgumentException($"{Name}: an image is {Dataset.PixelsPerImage} bytes (28×28), got {image.Length}", nameof(image));
        CheckSeverity(severity);
        var random = SeededRandom.For(seed, Name, severity, index);
        return ImageOps.ToBytes(Corrupt(ImageOps.ToUnit(image), severity, random));
    }

    /// <summary>The corruption itself, on a fresh float copy of the image in [0, 1].</summary>
    protected abstract float[] Corrupt(float[] image, int severity, SeededRandom random);

    /// <summary>A Markdown table of the parameters at severities 1–5, as docs/CORRUPTIONS.md shows it.</summary>
    public string MarkdownTable()
    {
        var table = new StringBuilder();
        table.Append("| severity | ").Append(string.Join(" | ", ParameterNames)).Append(" |\n");
        table.Append("| --- |").Append(string.Concat(Enumerable.Repeat(" --- |", ParameterNames.Count))).Append('\n');
        for (int s = MinSeverity; s <= MaxSeverity; s++)
            table.Append("| ").Append(s).Append(" | ").Append(string.Join(" | ", ParameterValues(s))).Append(" |\n");
        return table.ToString();
    }

    public override string ToString() => Name;

    /// <summary>The corruption with ImageNet-C's name, e.g. "fog".</summary>
    public static Corruption Get(string name) => CorruptionRegistry.Get(name);

    /// <summary>All 19: the 15 test corruptions in ImageNet-C's order, then the 4 validation ones.</summary>
    public static IReadOnlyList<Corruption> All => CorruptionRegistry.All;

    public static IReadOnlyList<string> Names => CorruptionRegistry.Names;

    public static IReadOnlyList<Corruption> Test => CorruptionRegistry.Test;

    public static IReadOnlyList<Corruption> Validation => CorruptionRegistry.Validation;

    internal void CheckSeverity(int severity)
    {
        if (severity < MinSeverity || severity > MaxSeverity)
            throw new ArgumentOutOfRangeException(nameof(severity), severity, $"{Name}: severity is {MinSeverity}–{MaxSeverity}");
    }

    /// <summary>Formats a parameter for the table: invariant culture, no trailing zeros.</summary>
    protected static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    protected static string Format(IEnumerable<double> values) => string.Join(", ", values.Select(Format));
}
