using System.Globalization;
using System.Text;
using Cema.Models.Adaptation;

namespace Cema.Models.Evaluation;

/// <summary>
/// The paper-style table of a <see cref="SimulationResult"/>: one row per method, one column per
/// corruption (stream order) plus the mean, an accuracy block and an upload-rate block, both in percent
/// with one decimal. <see cref="Text"/> aligns plain-text columns for a terminal; <see cref="Markdown"/>
/// writes the two blocks as Markdown tables for RESULTS.md.
/// </summary>
public static class ResultTable
{
    /// <summary>Column headings for the 15 test corruptions, short as in ImageNet-C tables; other names print in full.</summary>
    public static string ShortName(string corruption) => corruption switch
    {
        "gaussian_noise" => "gauss",
        "shot_noise" => "shot",
        "impulse_noise" => "impul",
        "defocus_blur" => "defoc",
        "glass_blur" => "glass",
        "motion_blur" => "motn",
        "zoom_blur" => "zoom",
        "snow" => "snow",
        "frost" => "frost",
        "fog" => "fog",
        "brightness" => "brit",
        "contrast" => "contr",
        "elastic_transform" => "elast",
        "pixelate" => "pixel",
        "jpeg_compression" => "jpeg",
        _ => corruption,
    };

    /// <summary>One line naming the run: protocol, severity, images per corruption, delay, encoding.</summary>
    public static string Caption(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string severity = result.Severity is { } s ? $"severity {s}" : "mixed severities";
        return $"Fashion-MNIST-C, {severity}, {result.Protocol}, {result.Limit:N0} images per corruption, " +
            $"edge batch {result.BatchSize}, update delay {result.UpdateDelay}, downlink {SimulationResultJson.EncodingName(result.DownlinkEncoding)}";
    }

    /// <summary>Aligned plain text: caption, accuracy block, upload block, and a bytes summary per method.</summary>
    public static string Text(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.Append(Caption(result)).Append('\n').Append('\n');
        AppendTextBlock(text, "accuracy (%)", result, m => m.PerCorruption, m => m.MeanAccuracy);
        text.Append('\n');
        AppendTextBlock(text, "upload (%)", result, m => m.PerCorruptionUploadRate, m => m.UploadRate);
        text.Append('\n');
        var traffic = new List<string[]> { new[] { "traffic", "uploads", "uplink", "downlink", "updates", "steps", "step ms" } };
        foreach (var m in result.Methods)
        {
            traffic.Add(new[]
            {
                m.Name, m.Uploads.ToString("N0", CultureInfo.InvariantCulture), Bytes(m.UplinkBytes), Bytes(m.DownlinkBytes),
                m.UpdatesSent.ToString("N0", CultureInfo.InvariantCulture), m.CloudSteps.ToString("N0", CultureInfo.InvariantCulture),
                m.CloudStepMilliseconds.ToString("0.0", CultureInfo.InvariantCulture),
            });
        }
        AppendAligned(text, traffic);
        return text.ToString();
    }

    /// <summary>Markdown: caption, then the accuracy table and the upload table.</summary>
    public static string Markdown(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.Append(Caption(result)).Append('.').Append('\n').Append('\n');
        AppendMarkdownBlock(text, "Accuracy (%)", result, m => m.PerCorruption, m => m.MeanAccuracy);
        text.Append('\n');
        AppendMarkdownBlock(text, "Upload (%)", result, m => m.PerCorruptionUploadRate, m => m.UploadRate);
        return text.ToString();
    }

    private static List<string[]> Block(string title, SimulationResult result,
        Func<MethodResult, IReadOnlyList<KeyValuePair<string, double>>> perCorruption, Func<MethodResult, double> mean)
    {
        var columns = result.CorruptionOrder;
        var rows = new List<string[]> { new[] { title }.Concat(columns.Select(ShortName)).Append("mean").ToArray() };
        foreach (var m in result.Methods)
        {
            var values = perCorruption(m).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            rows.Add(new[] { m.Name }
                .Concat(columns.Select(c => values.TryGetValue(c, out double v) ? Percent(v) : "-"))
                .Append(Percent(mean(m))).ToArray());
        }
        return rows;
    }

    private static void AppendTextBlock(StringBuilder text, string title, SimulationResult result,
        Func<MethodResult, IReadOnlyList<KeyValuePair<string, double>>> perCorruption, Func<MethodResult, double> mean) =>
        AppendAligned(text, Block(title, result, perCorruption, mean));

    // First column left-aligned, the rest right-aligned, two spaces between columns, no trailing spaces.
    private static void AppendAligned(StringBuilder text, List<string[]> rows)
    {
        int columns = rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                if (c == 0) line.Append(row[c].PadRight(widths[0]));
                else line.Append("  ").Append(row[c].PadLeft(widths[c]));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    private static void AppendMarkdownBlock(StringBuilder text, string title, SimulationResult result,
        Func<MethodResult, IReadOnlyList<KeyValuePair<string, double>>> perCorruption, Func<MethodResult, double> mean)
    {
        var rows = Block(title, result, perCorruption, mean);
        text.Append("| ").Append(string.Join(" | ", rows[0])).Append(" |\n");
        text.Append("| --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", rows[0].Length - 1))).Append('\n');
        foreach (var row in rows.Skip(1)) text.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
    }

    private static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Bytes in B, KB, MB or GB (powers of 1000), three significant figures.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = { "B", "KB", "MB", "GB", "TB" };
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        string format = unit == 0 ? "0" : value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
