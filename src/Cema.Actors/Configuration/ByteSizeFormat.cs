namespace Cema.Actors.Configuration;

/// <summary>
/// HOCON byte sizes, with the spec's split: <c>kB MB GB …</c> and their long names are powers of
/// ten, <c>K Ki KiB M Mi MiB …</c> (and lower-case single letters) powers of two. A bare number
/// means bytes. Beyond the spec, <c>KB</c> is accepted as a synonym of <c>kB</c>, because people
/// write it and every other two-letter <c>xB</c> unit is decimal too.
/// </summary>
public static class ByteSizeFormat
{
    private static readonly Dictionary<string, decimal> BytesPerUnit = Build();

    public const string Units = "B, kB/KB, MB, GB, TB, PB, EB (powers of 1000) or K/Ki/KiB, M/Mi/MiB, G/Gi/GiB, T/Ti/TiB, P/Pi/PiB, E/Ei/EiB (powers of 1024)";

    private static Dictionary<string, decimal> Build()
    {
        var table = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal bytes, params string[] names)
        {
            foreach (var name in names)
            {
                table[name] = bytes;
            }
        }
        Add(1, "", "B", "b", "byte", "bytes");
        (string Si, string SiName, string Bin, string BinName)[] prefixes =
        {
            ("k", "kilo", "K", "kibi"), ("M", "mega", "M", "mebi"), ("G", "giga", "G", "gibi"),
            ("T", "tera", "T", "tebi"), ("P", "peta", "P", "pebi"), ("E", "exa", "E", "exbi"),
            ("Z", "zetta", "Z", "zebi"), ("Y", "yotta", "Y", "yobi"),
        };
        decimal si = 1, binary = 1;
        foreach (var (s, sName, b, bName) in prefixes)
        {
            si *= 1000;
            binary *= 1024;
            Add(si, s + "B", sName + "byte", sName + "bytes");
            Add(binary, b, b.ToLowerInvariant(), b + "i", b + "iB", bName + "byte", bName + "bytes");
        }
        Add(1000, "KB");
        return table;
    }

    /// <summary>Parses a size string to bytes; false (with a reason) when it is not one.</summary>
    public static bool TryParse(string text, out long bytes, out string error)
    {
        bytes = 0;
        if (!UnitFormat.TrySplit(text, out var number, out var unit))
        {
            error = "it is not a number followed by an optional size unit";
            return false;
        }
        if (!BytesPerUnit.TryGetValue(unit, out var perUnit))
        {
            error = $"'{unit}' is not a size unit (use {Units})";
            return false;
        }
        return FromUnits(number, perUnit, out bytes, out error);
    }

    internal static bool FromBytes(decimal number, out long bytes, out string error) => FromUnits(number, 1, out bytes, out error);

    /// <summary>True when <paramref name="text"/> names a size unit explicitly, which marks a reference string as a size.</summary>
    internal static bool HasExplicitUnit(string text) =>
        UnitFormat.TrySplit(text, out _, out var unit) && unit.Length > 0 && BytesPerUnit.ContainsKey(unit);

    private static bool FromUnits(decimal number, decimal perUnit, out long bytes, out string error)
    {
        bytes = 0;
        if (number < 0)
        {
            error = "a size cannot be negative";
            return false;
        }
        decimal total;
        try
        {
            total = number * perUnit;
        }
        catch (OverflowException)
        {
            error = "it does not fit in 64 bits";
            return false;
        }
        if (total != decimal.Truncate(total))
        {
            error = "it is not a whole number of bytes";
            return false;
        }
        if (total > long.MaxValue)
        {
            error = "it does not fit in 64 bits";
            return false;
        }
        bytes = (long)total;
        error = "";
        return true;
    }
}
