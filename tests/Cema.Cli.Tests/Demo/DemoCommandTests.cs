using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Cema.Models.Data;

namespace Cema.Cli.Tests.Demo;

/// <summary><c>cema demo</c>: what it prints, results.json, and the structure of report.html.</summary>
[Collection(TinyDemoCollection.Name)]
public sealed class DemoCommandTests(TinyDemoRun run)
{
    private static IEnumerable<JsonElement> Items(JsonElement e, string name) => e.GetProperty(name).EnumerateArray();

    [Fact]
    public void Prints_the_seeds_and_orders_plain_status_lines_without_a_terminal_and_the_final_table()
    {
        run.AssertSucceeded();
        Assert.Contains($"{TinyDemoRun.Edges} edges, {TinyDemoRun.Distillers} distillers, severity 5", run.Stdout);
        Assert.Contains("sha256 ok", run.Stdout);
        Assert.Matches(@"edge-0: stream seed \d+, order \w+ → \w+ → \w+", run.Stdout);
        Assert.Matches(@"edge-1: stream seed \d+, order \w+ → \w+ → \w+", run.Stdout);
        // Output is a pipe here: the live view degrades to plain lines, never cursor movements.
        Assert.DoesNotContain("\u001b[", run.Stdout);
        Assert.Matches(@"cloud    queue \d+ steps \(\d+ samples\)  steps \d+", run.Stdout);
        Assert.Matches(@"edge-1\s+384\s+\d+\.\d\d%\s+\d+\.\d\d%\s+[+-]\d+\.\d\d", run.Stdout);
        Assert.Contains("every edge above Source:", run.Stdout);
    }

    [Fact]
    public void Results_json_holds_every_edge_with_its_seeded_order_and_counts_that_add_up()
    {
        run.AssertSucceeded();
        var r = run.Results;
        Assert.Equal(("cema-demo", 1), (r.GetProperty("schema").GetString(), r.GetProperty("schema_version").GetInt32()));
        Assert.Equal(TinyDemoRun.Seed, r.GetProperty("seed").GetUInt64());
        Assert.Equal(5, r.GetProperty("severity").GetInt32());
        Assert.Equal(TinyDemoRun.SamplesPerEdge / TinyDemoRun.Corruptions, r.GetProperty("frames_per_corruption").GetInt32());
        Assert.Equal(TinyDemoRun.Distillers, r.GetProperty("distillers").GetInt32());
        Assert.Equal("edge", r.GetProperty("session_per").GetString()); // hocon/demo.conf was loaded
        Assert.Equal(2, r.GetProperty("update_delay").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", r.GetProperty("models").GetProperty("foundation_sha256").GetString()!);

        var edges = Items(r, "edges").ToArray();
        Assert.Equal(["edge-0", "edge-1"], edges.Select(e => e.GetProperty("name").GetString()));
        var orders = edges.Select(e => Items(e, "order").Select(o => o.GetString()!).ToArray()).ToArray();
        var testCorruptions = Corruption.Test.Select(c => c.Name + ":5").ToHashSet();
        foreach (var order in orders)
        {
            Assert.Equal(TinyDemoRun.Corruptions, order.Distinct().Count());
            Assert.All(order, o => Assert.Contains(o, testCorruptions));
        }
        Assert.NotEqual(orders[0], orders[1]); // each edge its own order
        Assert.NotEqual(edges[0].GetProperty("stream_seed").GetUInt64(), edges[1].GetProperty("stream_seed").GetUInt64());

        long uploadedByEdges = 0, fullSteps = 0;
        for (int k = 0; k < edges.Length; k++)
        {
            var e = edges[k];
            var batches = Items(e, "batches").ToArray();
            Assert.Equal(TinyDemoRun.SamplesPerEdge / TinyDemoRun.BatchSize, batches.Length);
            Assert.Equal(Enumerable.Range(0, batches.Length).Select(i => (long)i), batches.Select(b => b.GetProperty("sequence").GetInt64()));
            long frames = batches.Sum(b => b.GetProperty("frames").GetInt32());
            Assert.Equal(TinyDemoRun.SamplesPerEdge, frames);
            Assert.Equal(frames, e.GetProperty("frames").GetInt64());
            Assert.Equal(100.0 * batches.Sum(b => b.GetProperty("correct").GetInt32()) / frames, e.GetProperty("accuracy").GetDouble(), 9);
            Assert.Equal(100.0 * batches.Sum(b => b.GetProperty("source_correct").GetInt32()) / frames, e.GetProperty("source_accuracy").GetDouble(), 9);
            long uploaded = batches.Sum(b => b.GetProperty("uploaded").GetInt32());
            Assert.Equal(uploaded, e.GetProperty("uploaded").GetInt64());
            Assert.Equal(100.0 * uploaded / frames, e.GetProperty("upload_rate").GetDouble(), 9);
            Assert.Equal(e.GetProperty("accuracy").GetDouble() - e.GetProperty("source_accuracy").GetDouble(), e.GetProperty("gain").GetDouble(), 9);
            uploadedByEdges += uploaded;
            fullSteps += uploaded / 32; // one session per edge: every 32 of its uploads make a step

            // The batches follow the order, two per corruption; versions never go back.
            Assert.Equal(orders[k].SelectMany(o => new[] { o.Split(':')[0], o.Split(':')[0] }), batches.Select(b => b.GetProperty("corruption").GetString()));
            var versions = batches.Select(b => b.GetProperty("version").GetInt64()).ToArray();
            Assert.Equal(versions.Order(), versions);
            Assert.True(e.GetProperty("version").GetInt64() >= versions[^1]);
            var segments = Items(e, "segments").ToArray();
            Assert.Equal(TinyDemoRun.Corruptions, segments.Length);
            Assert.All(segments, s => Assert.Equal(TinyDemoRun.SamplesPerEdge / TinyDemoRun.Corruptions, s.GetProperty("frames").GetInt64()));
            var updates = Items(e, "updates").Select(u => u.GetProperty("version").GetInt64()).ToArray();
            Assert.Equal(e.GetProperty("updates_applied").GetInt64(), updates.Length);
            Assert.NotEmpty(updates); // the cloud's steps came back to the edge
            Assert.True(versions[^1] >= 1, "with update delay 2 the last batches wait for the first steps");
            Assert.Equal(updates.Order().Distinct(), updates);
        }
        Assert.Equal(edges.All(e => e.GetProperty("accuracy").GetDouble() > e.GetProperty("source_accuracy").GetDouble()),
            r.GetProperty("every_edge_above_source").GetBoolean());

        var cloud = r.GetProperty("cloud");
        Assert.Equal(TinyDemoRun.Distillers, cloud.GetProperty("pool_size").GetInt32());
        Assert.Equal(uploadedByEdges, cloud.GetProperty("samples_received").GetInt64()); // nothing lost between edge and cloud
        Assert.Equal(cloud.GetProperty("steps").GetInt64(), cloud.GetProperty("updates_published").GetInt64());
        Assert.True(fullSteps > 0, $"only {uploadedByEdges} uploads");
        Assert.True(cloud.GetProperty("steps").GetInt64() >= fullSteps, $"{fullSteps} full steps are owed");
    }

    [Fact]
    public void Report_is_one_self_contained_page_whose_plots_have_a_point_per_batch_and_labelled_axes()
    {
        run.AssertSucceeded();
        string html = run.Html;
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(@"(src|href)\s*=", html);   // no external asset of any kind
        Assert.DoesNotContain("<script", html);

        var plots = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => XElement.Parse(m.Value)).ToArray();
        XNamespace svg = "http://www.w3.org/2000/svg";
        var byName = plots.ToDictionary(p => (string)p.Attribute("data-plot")!);
        Assert.Equal(["accuracy-edge-0", "accuracy-edge-1", "upload-rate", "e-max", "update-latency"], byName.Keys);
        foreach (var plot in plots)
        {
            var labels = plot.Descendants(svg + "text").Where(t => ((string?)t.Attribute("class"))?.StartsWith("axis-label") == true).Select(t => t.Value).ToArray();
            Assert.Equal(2, labels.Length);
            Assert.All(labels, l => Assert.False(string.IsNullOrWhiteSpace(l)));
        }
        int PointsOf(XElement plot, string series) => ((string)plot.Descendants(svg + "polyline").Single(p => (string?)p.Attribute("data-series") == series).Attribute("points")!)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

        var edges = Items(run.Results, "edges").ToArray();
        foreach (var e in edges)
        {
            string name = e.GetProperty("name").GetString()!;
            int batches = e.GetProperty("batches").GetArrayLength();
            var accuracy = byName["accuracy-" + name];
            Assert.Equal(batches, PointsOf(accuracy, "CEMA"));
            Assert.Equal(batches, PointsOf(accuracy, "Source"));
            Assert.Equal("frames seen", accuracy.Descendants(svg + "text").Single(t => (string?)t.Attribute("class") == "axis-label x").Value);
            Assert.Equal(TinyDemoRun.Corruptions, accuracy.Descendants(svg + "line").Count(l => (string?)l.Attribute("class") == "marker"));
            Assert.Equal(batches, PointsOf(byName["upload-rate"], name));
            Assert.Equal(batches, PointsOf(byName["e-max"], name));
            int latencies = e.GetProperty("updates").EnumerateArray().Count(u => u.GetProperty("latency_ms").ValueKind == JsonValueKind.Number);
            Assert.Equal(latencies, PointsOf(byName["update-latency"], name));
        }
        Assert.Contains($"<td class=\"l\">edge-0</td><td>{TinyDemoRun.SamplesPerEdge}</td>", html);
    }

    [Fact]
    public void Bad_options_are_refused_with_a_message_naming_them()
    {
        var (code, _, stderr) = CliTests.RunCema("demo", "--edges", "0");
        Assert.Equal(1, code);
        Assert.Contains("--edges", stderr);
        (code, _, stderr) = CliTests.RunCema("demo", "--severity", "9");
        Assert.Equal(1, code);
        Assert.Contains("--severity", stderr);
        (code, _, stderr) = CliTests.RunCema("demo", "--samples-per-edge", "7");
        Assert.Equal(1, code);
        Assert.Contains("--samples-per-edge", stderr);
        (code, _, stderr) = CliTests.RunCema("demo", "--distillers", "0");
        Assert.Equal(1, code);
        Assert.Contains("--distillers", stderr);
    }
}
