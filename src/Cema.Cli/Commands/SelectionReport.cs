using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Cema.Models.Evaluation;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema eval --protocol … --analyze-selection</c>: the <see cref="SelectionAnalysis"/> of a stream, printed per rule and
/// per segment, and written as JSON (default out/results/selection-…json).
/// </summary>
internal static class SelectionReport
{
    public static int Run(SimulationModels models, ShiftStream stream, EntropySelectorSettings selector, string split, string? jsonPath, ProgressLine progress, Stopwatch clock)
    {
        long total = (long)stream.ImagesPerSegment * stream.Segments.Count;
        var analysis = SelectionAnalysis.Run(models, stream, selector, done =>
            progress.Update($"selection {ProgressLine.Bar(done / (double)total)} {done}/{total} elapsed {ProgressLine.Duration(clock.Elapsed)}"));
        progress.WriteLine("");
        Console.Write(Text(analysis));

        string path = jsonPath ?? Path.Combine("out", "results", $"selection-{(split == "validation" ? "validation-" : "")}{OnlineSimulator.ProtocolName(stream.Mode)}-severity{stream.Segments[0].Severity}-limit{stream.ImagesPerSegment}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Json(analysis, selector, stream, split));
        Console.WriteLine($"wrote {Path.GetFullPath(path)} ({clock.Elapsed.TotalMinutes:F1} min)");
        return 0;
    }

    private static string Text(SelectionAnalysis analysis)
    {
        var text = new StringBuilder();
        var all = analysis.All();
        text.AppendLine("every segment      samples  share %  edge acc  teacher acc  disagree %  mean KL");
        foreach (var outcome in Enum.GetValues<SelectionOutcome>())
            text.AppendLine(Row(outcome.ToString(), analysis.Group(outcome), all.Samples));
        text.AppendLine(Row("all (random)", all, all.Samples));
        text.AppendLine();
        text.AppendLine("true classes %     " + string.Join(" ", Enumerable.Range(0, analysis.Classes).Select(c => $"{ClassLabel(c),7}")));
        text.AppendLine(ClassRow("kept", analysis.ClassCounts(SelectionOutcome.Kept)));
        text.AppendLine(ClassRow("all (random)", analysis.ClassCounts(null)));
        text.AppendLine();
        text.AppendLine("per segment        kept %  disagree % kept / dropped / all   teacher acc kept / dropped");
        foreach (var (index, corruption) in analysis.Segments)
        {
            var kept = analysis.Group(SelectionOutcome.Kept, index);
            var segment = analysis.All(index);
            var dropped = segment - kept;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{corruption,-18} {SegmentResult.Percent(kept.Samples, segment.Samples),6:F1}  {kept.DisagreementRate,6:F1} / {dropped.DisagreementRate,6:F1} / {segment.DisagreementRate,6:F1}   {kept.TeacherAccuracy,6:F1} / {dropped.TeacherAccuracy,6:F1}"));
        }
        return text.ToString();
    }

    /// <summary>A short column head: the Fashion-MNIST name cut to 7 characters, or the index for other label sets.</summary>
    private static string ClassLabel(int c) =>
        c < FashionMnist.ClassNames.Count ? FashionMnist.ClassNames[c][..Math.Min(7, FashionMnist.ClassNames[c].Length)] : c.ToString(CultureInfo.InvariantCulture);

    private static string ClassRow(string name, long[] counts)
    {
        long total = counts.Sum();
        return $"{name,-18} " + string.Join(" ", counts.Select(n => string.Create(CultureInfo.InvariantCulture, $"{SegmentResult.Percent(n, total),7:F1}")));
    }

    private static string Row(string name, SelectionGroup g, long total) => string.Create(CultureInfo.InvariantCulture,
        $"{name,-18} {g.Samples,7}  {SegmentResult.Percent(g.Samples, total),7:F1}  {g.EdgeAccuracy,8:F1}  {g.TeacherAccuracy,11:F1}  {g.DisagreementRate,10:F1}  {g.MeanKl,7:F3}");

    private static string Json(SelectionAnalysis analysis, EntropySelectorSettings selector, ShiftStream stream, string split)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", "cema-selection-analysis");
            w.WriteString("split", split);
            w.WriteString("protocol", OnlineSimulator.ProtocolName(stream.Mode));
            w.WriteNumber("limit", stream.ImagesPerSegment);
            w.WriteNumber("stream_seed", stream.Seed);
            SimulationResultJson.WriteSelector(w, "selector", selector);
            w.WriteStartObject("total");
            WriteGroups(w, analysis, null);
            w.WriteEndObject();
            w.WriteStartArray("segments");
            foreach (var (index, corruption) in analysis.Segments)
            {
                w.WriteStartObject();
                w.WriteNumber("index", index);
                w.WriteString("corruption", corruption);
                WriteGroups(w, analysis, index);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteGroups(Utf8JsonWriter w, SelectionAnalysis analysis, int? segment)
    {
        foreach (var outcome in Enum.GetValues<SelectionOutcome>()) WriteGroup(w, outcome.ToString(), analysis.Group(outcome, segment), analysis.ClassCounts(outcome, segment));
        WriteGroup(w, "All", analysis.All(segment), analysis.ClassCounts(null, segment));
    }

    private static void WriteGroup(Utf8JsonWriter w, string name, SelectionGroup g, long[] classCounts)
    {
        w.WriteStartObject(JsonNamingPolicy.SnakeCaseLower.ConvertName(name));
        w.WriteNumber("samples", g.Samples);
        w.WriteNumber("edge_accuracy", g.EdgeAccuracy);
        w.WriteNumber("teacher_accuracy", g.TeacherAccuracy);
        w.WriteNumber("disagreement_rate", g.DisagreementRate);
        w.WriteNumber("mean_kl", g.MeanKl);
        w.WriteStartArray("class_samples");
        foreach (long n in classCounts) w.WriteNumberValue(n);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
