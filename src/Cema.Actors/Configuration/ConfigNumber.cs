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

    /// <summary>
    /// True when the number is spelled as a whole number: digits only, no point and no exponent. This is how
    /// reference.conf declares a setting's type, so <c>alpha = 3.0</c> admits 2.5 where <c>batch-size = 32</c> does not.
    /// </summary>
    public bool IsWrittenWhole => !Text.AsSpan().ContainsAny('.', 'e', 'E');

    internal override string Describe() => $"number {Text}";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigNumber(Text, origin);

    public override string ToString() => Text;
}
