using System.Globalization;
using System.Text.RegularExpressions;

namespace Cema.Actors.Configuration;

/// <summary>
/// The strict conversions behind the typed getters and the reference.conf type check. Following
/// the spec's "automatic type conversions", a string that spells a number or boolean exactly is
/// accepted (environment variables are strings); nothing is rounded, clamped or defaulted.
/// </summary>
internal static partial class ValueConversions
{
    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumberPattern();

    public static bool IsJsonNumber(string text) => JsonNumberPattern().IsMatch(text);

    /// <summary>The number text of a number, or of a string that is exactly a JSON number.</summary>
    private static string? NumberText(ConfigValue value) => value switch
    {
        ConfigNumber n => n.Text,
        ConfigString s when IsJsonNumber(s.Value) => s.Value,
        _ => null,
    };

    public static bool TryGetLong(ConfigValue value, long min, long max, out long result)
    {
        result = 0;
        var text = NumberText(value);
        if (text is null || !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return false;
        }
        if (d != decimal.Truncate(d) || d < min || d > max)
        {
            return false;
        }
        result = (long)d;
        return true;
    }

    public static bool TryGetDouble(ConfigValue value, out double result)
    {
        result = 0;
        var text = NumberText(value);
        return text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result);
    }

    /// <summary>The spec's six spellings, and nothing else.</summary>
    public static bool TryGetBoolean(ConfigValue value, out bool result)
    {
        result = false;
        switch (value)
        {
            case ConfigBoolean b:
                result = b.Value;
                return true;
            case ConfigString { Value: "true" or "yes" or "on" }:
                result = true;
                return true;
            case ConfigString { Value: "false" or "no" or "off" }:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Strings, and numbers or booleans as written; never null, lists or objects.</summary>
    public static bool TryGetString(ConfigValue value, out string result)
    {
        result = value switch
        {
            ConfigString s => s.Value,
            ConfigNumber n => n.Text,
            ConfigBoolean b => b.ToString(),
            _ => null!,
        };
        return result is not null;
    }

    public static bool TryGetDuration(ConfigValue value, out TimeSpan result, out string error)
    {
        result = default;
        switch (value)
        {
            case ConfigNumber n when decimal.TryParse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms):
                return DurationFormat.FromMilliseconds(ms, out result, out error);
            case ConfigString s:
                return DurationFormat.TryParse(s.Value, out result, out error);
            default:
                error = "";
                return false;
        }
    }

    public static bool TryGetBytes(ConfigValue value, out long result, out string error)
    {
        result = 0;
        switch (value)
        {
            case ConfigNumber n when decimal.TryParse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var bytes):
                return ByteSizeFormat.FromBytes(bytes, out result, out error);
            case ConfigString s:
                return ByteSizeFormat.TryParse(s.Value, out result, out error);
            default:
                error = "";
                return false;
        }
    }
}
