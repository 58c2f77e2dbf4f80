namespace Cema.Models.Evaluation.Tuning;

/// <summary>One searched setting: its configuration key and the values tried, in the order given.</summary>
/// <param name="Key">Path relative to <c>cema.adapt</c>, e.g. <c>selector.redundancy-epsilon</c>.</param>
/// <param name="Values">The grid; the search only ever picks one of these. A boolean setting's grid holds 1 (true) and 0 (false).</param>
/// <param name="IsBoolean">Whether the setting is a switch: its values print and are written as true/false.</param>
public sealed record TuningParameter(string Key, IReadOnlyList<double> Values, bool IsBoolean = false)
{
    /// <summary>A switch's grid, e.g. [true, false].</summary>
    public static TuningParameter Switch(string key, IReadOnlyList<bool> values) => new(key, values.Select(v => v ? 1.0 : 0.0).ToArray(), IsBoolean: true);

    /// <summary>
    /// How <paramref name="value"/> of this setting reads in HOCON. Every searched number is a fraction, and
    /// reference.conf declares a fraction by its spelling, so a whole value is written 3.0, not 3.
    /// </summary>
    public string Render(double value)
    {
        if (IsBoolean) return value != 0 ? "true" : "false";
        string text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text.AsSpan().ContainsAny('.', 'e') ? text : text + ".0";
    }

    /// <summary>The value as the configuration holds it: a bool for a switch, else the number.</summary>
    public object Typed(double value) => IsBoolean ? value != 0 : value;

    public TuningParameter Validate()
    {
        if (string.IsNullOrWhiteSpace(Key)) throw new ArgumentException("a tuning parameter needs a key", nameof(Key));
        if (Values is null || Values.Count == 0) throw new ArgumentException($"tuning parameter '{Key}' has no values to try", nameof(Values));
        if (Values.Any(v => !double.IsFinite(v))) throw new ArgumentException($"tuning parameter '{Key}' has a value that is not a finite number", nameof(Values));
        if (Values.Distinct().Count() != Values.Count) throw new ArgumentException($"tuning parameter '{Key}' lists a value twice", nameof(Values));
        return this;
    }

    /// <summary>The grid value nearest <paramref name="value"/> (the first of equals): where the search starts from a configured value.</summary>
    public double Nearest(double value) => Values.OrderBy(v => Math.Abs(v - value)).First();
}
