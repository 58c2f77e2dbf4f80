using System.Globalization;

namespace Cema.Actors.Configuration;

/// <summary>
/// A number kept as written: HOCON concatenates and renders numbers in their original spelling
/// (<c>1e5</c> stays <c>1e5</c>, <c>10.0</c> in a path is two segments), and the typed getters
/// decide how to read it.
/// </summary>
public sealed class ConfigNumber : ConfigValue
{
    public ConfigNumber(string text, ConfigOrigin origin)
        : base(origin)
    {
        if (!ValueConversions.IsJsonNumber(text))
        {
            throw new ArgumentException($"'{text}' is not a JSON number", nameof(text));
        }
        Text = text;
    }

    public string Text { get; }

    public override ConfigValueType Type => ConfigValueType.Number;

    /// <summary>True when the number has no fractional part, however it was spelled (1e3 counts).</summary>
    public bool IsIntegral => decimal.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d);

    public double ToDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    internal override string Describe() => $"number {Text}";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigNumber(Text, origin);

    public override string ToString() => Text;
}
