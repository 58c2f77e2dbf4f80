namespace Cema.Models.Evaluation.Tuning;

/// <summary>One searched setting: its configuration key and the values tried, in the order given.</summary>
/// <param name="Key">Path relative to <c>cema.adapt</c>, e.g. <c>selector.redundancy-epsilon</c>.</param>
/// <param name="Values">The grid; the search only ever picks one of these.</param>
public sealed record TuningParameter(string Key, IReadOnlyList<double> Values)
{
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
