using System.Globalization;

namespace Cema.Models.Data;

/// <summary>One domain of a shift stream: a corruption at a severity, written "fog:5".</summary>
public sealed record ShiftSegment(string Corruption, int Severity)
{
    /// <summary>The 15 test corruptions in ImageNet-C's order, all at one severity: the usual continual TTA benchmark.</summary>
    public static IReadOnlyList<ShiftSegment> ImageNetCOrder(int severity) =>
        Data.Corruption.Test.Select(c => new ShiftSegment(c.Name, severity)).ToArray();

    /// <summary>Parses "name:severity", e.g. "gaussian_noise:5".</summary>
    public static ShiftSegment Parse(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int severity))
            throw new FormatException($"'{text}' is not a segment; write corruption:severity, e.g. fog:5");
        return new ShiftSegment(text[..colon], severity);
    }

    /// <summary>Parses a comma-separated list, e.g. "gaussian_noise:5,fog:3".</summary>
    public static IReadOnlyList<ShiftSegment> ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();

    public override string ToString() => $"{Corruption}:{Severity}";
}
