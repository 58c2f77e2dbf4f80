using Cema.Actors.Configuration;

namespace Cema.Actors.Tests.Configuration;

public class UnitTests
{
    private static Config Parse(string text) => Config.ParseString(text, "units.conf", environment: _ => null);

    [Theory]
    [InlineData("10s", 10_000L * TimeSpan.TicksPerMillisecond)]
    [InlineData("500ms", 500L * TimeSpan.TicksPerMillisecond)]
    [InlineData("2 minutes", 2L * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("1.5h", 90L * TimeSpan.TicksPerMinute)]
    [InlineData("3 days", 3L * TimeSpan.TicksPerDay)]
    [InlineData("1d", TimeSpan.TicksPerDay)]
    [InlineData("1 second", TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5L * TimeSpan.TicksPerMinute)]
    [InlineData("250us", 2500L)]
    [InlineData("300ns", 3L)]
    [InlineData("750", 750L * TimeSpan.TicksPerMillisecond)]
    [InlineData("\"42ms\"", 42L * TimeSpan.TicksPerMillisecond)]
    public void Durations(string written, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Parse($"t = {written}").GetDuration("t"));
    }

    [Theory]
    [InlineData("10 parsecs", "'parsecs' is not a time unit")]
    [InlineData("10S", "'S' is not a time unit")]
    [InlineData("soon", "not a number")]
    [InlineData("true", "boolean")]
    public void BadDurations(string written, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Parse($"t = {written}").GetDuration("t"));
        Assert.Contains(expected, error.Message);
        Assert.Contains("'t'", error.Message);
        Assert.Contains("duration", error.Message);
    }

    [Theory]
    [InlineData("64MiB", 64L * 1024 * 1024)]
    [InlineData("10 KB", 10_000L)]
    [InlineData("10 kB", 10_000L)]
    [InlineData("10kilobytes", 10_000L)]
    [InlineData("512k", 512L * 1024)]
    [InlineData("512K", 512L * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("1g", 1024L * 1024 * 1024)]
    [InlineData("1 GB", 1_000_000_000L)]
    [InlineData("2Gi", 2L * 1024 * 1024 * 1024)]
    [InlineData("3 MB", 3_000_000L)]
    [InlineData("1 mebibyte", 1024L * 1024)]
    [InlineData("1TiB", 1L << 40)]
    [InlineData("1.5K", 1536L)]
    [InlineData("100B", 100L)]
    [InlineData("7 bytes", 7L)]
    [InlineData("4096", 4096L)]
    public void ByteSizes(string written, long bytes)
    {
        Assert.Equal(bytes, Parse($"s = {written}").GetBytes("s"));
    }

    [Theory]
    [InlineData("10 XB", "'XB' is not a size unit")]
    [InlineData("0.1K", "whole number of bytes")]
    [InlineData("-1K", "negative")]
    [InlineData("100EiB", "64 bits")]
    [InlineData("big", "not a number")]
    public void BadByteSizes(string written, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Parse($"s = {written}").GetBytes("s"));
        Assert.Contains(expected, error.Message);
        Assert.Contains("size in bytes", error.Message);
    }
}
