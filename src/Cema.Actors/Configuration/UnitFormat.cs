using System.Globalization;
using System.Text.RegularExpressions;

namespace Cema.Actors.Configuration;

/// <summary>
/// The spec's "units format" shared by durations and byte sizes: optional whitespace, a number,
/// optional whitespace, an optional unit made of letters only, optional whitespace.
/// </summary>
internal static partial class UnitFormat
{
    [GeneratedRegex(@"^\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*(\p{L}*)\s*$")]
    private static partial Regex Pattern();

    public static bool TrySplit(string text, out decimal number, out string unit)
    {
        number = 0;
        unit = "";
        var match = Pattern().Match(text);
        if (!match.Success || !decimal.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }
        unit = match.Groups[2].Value;
        return true;
    }
}
