namespace Cema.Actors.Configuration;

/// <summary>
/// HOCON durations: <c>10s</c>, <c>500ms</c>, <c>2 minutes</c>, <c>1.5h</c>. Units are lower-case
/// only, exactly as the spec lists them; a bare number means milliseconds.
/// </summary>
public static class DurationFormat
{
    private static readonly Dictionary<string, decimal> TicksPerUnit = Build();

    /// <summary>Every accepted unit, for error messages.</summary>
    public const string Units = "ns, us, ms, s, m, h, d (or nanosecond(s), microsecond(s), millisecond(s), second(s), minute(s), hour(s), day(s))";

    private static Dictionary<string, decimal> Build()
    {
        var table = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal ticks, params string[] names)
        {
            foreach (var name in names)
            {
                table[name] = ticks;
            }
        }
        Add(0.01m, "ns", "nanosecond", "nanoseconds");
        Add(10m, "us", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "", "ms", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return table;
    }

    /// <summary>Parses a duration string; false (with a reason) when it is not one.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        duration = default;
        if (!UnitFormat.TrySplit(text, out var number, out var unit))
        {
            error = "it is not a number followed by an optional time unit";
            return false;
        }
        if (!TicksPerUnit.TryGetValue(unit, out var ticksPerUnit))
        {
            error = $"'{unit}' is not a time unit (use {Units})";
            return false;
        }
        return FromUnits(number, ticksPerUnit, out duration, out error);
    }

    /// <summary>A bare number: milliseconds, as the spec's default duration unit.</summary>
    internal static bool FromMilliseconds(decimal milliseconds, out TimeSpan duration, out string error) =>
        FromUnits(milliseconds, TimeSpan.TicksPerMillisecond, out duration, out error);

    /// <summary>True when <paramref name="text"/> names a unit explicitly, which is what marks a reference string as a duration.</summary>
    internal static bool HasExplicitUnit(string text) =>
        UnitFormat.TrySplit(text, out _, out var unit) && unit.Length > 0 && TicksPerUnit.ContainsKey(unit);

    private static bool FromUnits(decimal number, decimal ticksPerUnit, out TimeSpan duration, out string error)
    {
        duration = default;
        try
        {
            var ticks = decimal.Round(number * ticksPerUnit, MidpointRounding.AwayFromZero);
            if (ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
            {
                error = "it is too long for a TimeSpan";
                return false;
            }
            duration = TimeSpan.FromTicks((long)ticks);
            error = "";
            return true;
        }
        catch (OverflowException)
        {
            error = "it is too long for a TimeSpan";
            return false;
        }
    }
}
