using System.Globalization;
using System.Net;
using System.Text;

namespace Cema.Cli.Demo;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no script, no external asset) with the final
/// table and the plots — accuracy over the stream against Source per edge, upload rate and E_max over
/// the stream, update latency over time.
/// </summary>
internal static class DemoReport
{
    /// <summary>Batches in the moving window of the accuracy and upload plots (fewer for short streams).</summary>
    internal static int Window(int batches) => Math.Clamp(batches / 20, 1, 10);

    private static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Html(DemoResult result)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>CEMA demo</title>\n<style>\n")
            .Append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1600px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
            .Append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
            .Append("th{background:#f3f3f3}td.l,th.l{text-align:left}.good{color:#1a7f37;font-weight:bold}.bad{color:#c62828;font-weight:bold}")
            .Append(".plots{display:flex;flex-wrap:wrap;gap:12px}.note{color:#555;font-size:13px;max-width:1100px}code{background:#f3f3f3;padding:1px 4px}\n")
            .Append("</style></head><body>\n");
        html.Append("<h1>CEMA in one process: ").Append(result.Edges.Count).Append(" edges, ").Append(result.Distillers).Append(" distillers</h1>\n");
        html.Append("<p class=\"note\"><code>").Append(E(result.Command)).Append("</code><br>")
            .Append($"severity {result.Severity}, {result.SamplesPerEdge} frames per edge ({result.FramesPerCorruption} per corruption, batches of {result.BatchSize}), ")
            .Append($"seed {result.Seed}, update delay {result.UpdateDelay}, one session per {E(result.SessionPer)}, updates as {E(result.ParamsEncoding)}, ")
            .Append($"LibTorch threads {result.TorchThreads}; models {E(result.Models.Edge)} ({E(result.Models.EdgeSha256[..12])}…) and ")
            .Append($"{E(result.Models.Foundation)} ({E(result.Models.FoundationSha256[..12])}…). Wall time {F(result.ElapsedSeconds, "0.0")} s.</p>\n");

        html.Append("<h2>Final</h2>\n<table><tr><th class=\"l\">edge</th><th>frames</th><th>accuracy %</th><th>Source %</th><th>gain</th>")
            .Append("<th>upload %</th><th>version</th><th>updates</th><th>mean latency ms</th><th class=\"l\">corruption order</th></tr>\n");
        foreach (var e in result.Edges)
        {
            html.Append($"<tr><td class=\"l\">{E(e.Name)}</td><td>{e.Frames}</td><td>{F(e.Accuracy)}</td><td>{F(e.SourceAccuracy)}</td>")
                .Append($"<td class=\"{(e.Gain > 0 ? "good" : "bad")}\">{(e.Gain >= 0 ? "+" : "")}{F(e.Gain)}</td><td>{F(e.UploadRate)}</td><td>{e.Version}</td>")
                .Append($"<td>{e.UpdatesApplied}</td><td>{(e.MeanUpdateLatencyMs is { } l ? F(l, "0") : "–")}</td>")
                .Append($"<td class=\"l\">{E(string.Join(" → ", e.Order.Select(o => o.Split(':')[0])))}</td></tr>\n");
        }
        html.Append("</table>\n");
        var c = result.Cloud;
        html.Append($"<p class=\"note\">Cloud: {c.Steps} steps ({c.ReplayOnlySteps} replay-only; {c.ReplayOnlyCoalesced} replay-only steps merged into one already waiting), ")
            .Append($"{F(c.StepsPerSecond)} steps/s over the run, pool of {c.PoolSize}; {c.SamplesReceived} samples uploaded, {c.SamplesDropped} dropped by the per-session bound, ")
            .Append($"{c.JobsResent} jobs resent; replay holds {c.ReplayBytes / 1024} KiB. Every edge above Source: <b>{(result.EveryEdgeAboveSource ? "yes" : "no")}</b>.</p>\n");

        html.Append("<h2>Accuracy over the stream</h2>\n<p class=\"note\">Each edge's online accuracy (every batch predicted with the parameters the edge held then) ")
            .Append("against Source, the same network frozen, on the very same frames; both as a moving mean over the last batches. Dotted lines mark a change of corruption.</p>\n<div class=\"plots\">\n");
        for (int i = 0; i < result.Edges.Count; i++)
        {
            var e = result.Edges[i];
            int window = Window(e.Batches.Count);
            var chart = new SvgChart($"accuracy-{e.Name}", $"{e.Name}: accuracy (moving mean of {window} batches)", "frames seen", "accuracy %", 0, 100, xMin: 0);
            chart.Line("CEMA", SvgChart.Palette[0], Moving(e, window, b => b.Correct));
            chart.Line("Source", SvgChart.Palette[1], Moving(e, window, b => b.SourceCorrect), dashed: true);
            foreach (var (x, label) in SegmentStarts(e)) chart.Marker(x, label);
            html.Append(chart.Render());
        }
        html.Append("</div>\n");

        html.Append("<h2>Uploads and E_max</h2>\n<p class=\"note\">Share of frames each edge uploaded (moving mean) and the selector's upper entropy bound E_max(t) per batch ")
            .Append("(E0 = 0.4 ln 10 before warm-up, then λ·E0·mean_E(t)/mean_E(w)).</p>\n<div class=\"plots\">\n");
        var upload = new SvgChart("upload-rate", "upload rate", "frames seen", "uploaded %", 0, xMin: 0);
        var emax = new SvgChart("e-max", "E_max per batch", "frames seen", "E_max (nats)", 0, xMin: 0);
        for (int i = 0; i < result.Edges.Count; i++)
        {
            var e = result.Edges[i];
            string color = SvgChart.Palette[i % SvgChart.Palette.Length];
            upload.Line(e.Name, color, Moving(e, Window(e.Batches.Count), b => b.Uploaded));
            emax.Line(e.Name, color, Cumulative(e).Select((x, k) => (x, e.Batches[k].EMax ?? 0)).ToArray());
        }
        html.Append(upload.Render()).Append(emax.Render()).Append("</div>\n");

        html.Append("<h2>Update latency</h2>\n<p class=\"note\">For each parameter version an edge applied: time from its first upload under the previous version ")
            .Append("to applying this one (the cloud queue, the step, the publish), against the time it was applied.</p>\n<div class=\"plots\">\n");
        var latency = new SvgChart("update-latency", "update latency", "time since start (s)", "latency (ms)", 0, xMin: 0);
        for (int i = 0; i < result.Edges.Count; i++)
        {
            var e = result.Edges[i];
            var points = e.Updates.Where(u => u.LatencyMs is not null).Select(u => (u.TSeconds, u.LatencyMs!.Value)).ToArray();
            latency.Line(e.Name, SvgChart.Palette[i % SvgChart.Palette.Length], points, markers: true);
        }
        html.Append(latency.Render()).Append("</div>\n");
        html.Append("<p class=\"note\">Written by <code>cema demo</code>; the numbers are in results.json next to this page (docs/DEMO.md).</p>\n</body></html>\n");
        return html.ToString();
    }

    public static void WriteFile(DemoResult result, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Html(result));
    }

    /// <summary>Frames seen after each batch.</summary>
    private static double[] Cumulative(DemoEdgeResult e)
    {
        var x = new double[e.Batches.Count];
        long seen = 0;
        for (int k = 0; k < x.Length; k++) x[k] = seen += e.Batches[k].Frames;
        return x;
    }

    /// <summary>Per batch, 100 × sum(count) / sum(frames) over the last <paramref name="window"/> batches, against frames seen.</summary>
    private static (double X, double Y)[] Moving(DemoEdgeResult e, int window, Func<DemoBatchRecord, int> count)
    {
        var x = Cumulative(e);
        var points = new (double, double)[e.Batches.Count];
        long sum = 0, frames = 0;
        for (int k = 0; k < points.Length; k++)
        {
            sum += count(e.Batches[k]);
            frames += e.Batches[k].Frames;
            if (k >= window)
            {
                sum -= count(e.Batches[k - window]);
                frames -= e.Batches[k - window].Frames;
            }
            points[k] = (x[k], frames == 0 ? 0 : 100.0 * sum / frames);
        }
        return points;
    }

    private static IEnumerable<(double X, string Label)> SegmentStarts(DemoEdgeResult e)
    {
        long seen = 0;
        string? previous = null;
        foreach (var b in e.Batches)
        {
            if (b.Corruption != previous) yield return (seen, b.Corruption);
            previous = b.Corruption;
            seen += b.Frames;
        }
    }
}
