using System.Text.Json;
using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Evaluation;

namespace Cema.Models.Tests.Evaluation;

public class SimulationResultJsonTests
{
    /// <summary>A hand-made result: two methods over three segments (one corruption met twice).</summary>
    internal static SimulationResult Sample()
    {
        var segments = new[] { "gaussian_noise:5", "fog:5", "gaussian_noise:5" };
        MethodResult Method(string name, long[] correct, long[] uploads, SelectionCounts? selection = null, double? randomRate = null) => new(
            name,
            correct.Select((c, i) => new SegmentResult(i, segments[i].Split(':')[0], 5, 100, c, uploads[i])).ToArray(),
            UplinkBytes: uploads.Sum() * 800, DownlinkBytes: 1234, Downlink: new DownlinkSizes(4000, 2040, 1234),
            UpdatesSent: 7, UpdatesApplied: 6, CloudSteps: 9, ReplayOnlySteps: 2, Sessions: 3, selection, randomRate,
            new MethodTiming(TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.75), TimeSpan.FromSeconds(1.5)));
        return new SimulationResult("per-domain", 5, 100, 64, 1, NormParamsEncoding.Fp16Delta, 16, StreamSeed: 11, new SimulationSeeds(1, 2, 3), TorchThreads: 2, OfficialSettings.Methods,
            segments, "edge", "foundation",
            new[]
            {
                Method(AdaptationMethods.Source, new long[] { 50, 60, 70 }, new long[] { 0, 0, 0 }),
                Method(AdaptationMethods.Cema, new long[] { 55, 66, 77 }, new long[] { 10, 20, 30 }, new SelectionCounts(300, 100, 80, 60, 60)),
                Method(AdaptationMethods.Random, new long[] { 51, 61, 71 }, new long[] { 20, 19, 21 }, randomRate: 20),
            },
            TimeSpan.FromSeconds(12.25));
    }

    [Fact]
    public void The_json_holds_the_schema_keys()
    {
        using var document = JsonDocument.Parse(SimulationResultJson.Serialize(Sample()));
        var root = document.RootElement;
        foreach (string key in new[] { "schema", "schema_version", "protocol", "severity", "limit", "batch_size", "update_delay", "downlink_encoding",
                     "upload_header_bytes", "seeds", "torch_threads", "settings", "corruption_order", "segments", "models", "elapsed_seconds", "methods" })
            Assert.True(root.TryGetProperty(key, out _), $"missing top-level key {key}");
        Assert.Equal("cema-simulation", root.GetProperty("schema").GetString());
        Assert.Equal("fp16-delta", root.GetProperty("downlink_encoding").GetString());
        Assert.Equal(new[] { "gaussian_noise", "fog" }, root.GetProperty("corruption_order").EnumerateArray().Select(e => e.GetString()));
        foreach (string key in new[] { "stream", "replay", "random_upload", "torch" }) Assert.True(root.GetProperty("seeds").TryGetProperty(key, out _), key);

        var methods = root.GetProperty("methods");
        Assert.Equal(new[] { "source", "cema", "random" }, methods.EnumerateObject().Select(p => p.Name));
        var cema = methods.GetProperty("cema");
        foreach (string key in new[] { "mean_accuracy", "upload_rate", "uplink_bytes", "downlink_bytes", "cloud_steps", "per_corruption",
                     "downlink_bytes_by_encoding", "selection", "segments", "timing", "per_corruption_upload_rate" })
            Assert.True(cema.TryGetProperty(key, out _), $"missing method key {key}");
        // Percentages: the mean over segments (55, 66, 77 of 100), the rate over samples (60 of 300).
        Assert.Equal(66.0, cema.GetProperty("mean_accuracy").GetDouble(), 9);
        Assert.Equal(20.0, cema.GetProperty("upload_rate").GetDouble(), 9);
        // A corruption met twice is pooled: (55 + 77) / 200.
        Assert.Equal(66.0, cema.GetProperty("per_corruption").GetProperty("gaussian_noise").GetDouble(), 9);
        Assert.Equal(66.0, cema.GetProperty("per_corruption").GetProperty("fog").GetDouble(), 9);
        Assert.Equal(60, cema.GetProperty("selection").GetProperty("kept").GetInt64());
        Assert.Equal(JsonValueKind.Null, methods.GetProperty("source").GetProperty("selection").ValueKind);
        Assert.Equal(20.0, methods.GetProperty("random").GetProperty("random_upload_rate").GetDouble());
    }

    [Fact]
    public void Reading_gives_back_what_was_written()
    {
        var result = Sample();
        string json = SimulationResultJson.Serialize(result);
        var read = SimulationResultJson.Deserialize(json);
        Assert.Equal(json, SimulationResultJson.Serialize(read));
        Assert.Equal(result.Methods[1].Segments, read.Methods[1].Segments);
        Assert.Equal(result.Methods[1].Timing, read.Methods[1].Timing);
        Assert.Equal(result.Seeds, read.Seeds);
        Assert.Equal(result.Settings, read.Settings);
    }

    [Fact]
    public void Class_balance_is_read_back_and_a_file_written_before_it_existed_reads_as_the_papers_loss()
    {
        var balanced = Sample() with { Settings = OfficialSettings.Methods with { Cloud = OfficialSettings.Cloud with { ClassBalance = true } } };
        string json = SimulationResultJson.Serialize(balanced);
        Assert.True(SimulationResultJson.Deserialize(json).Settings.Cloud.ClassBalance);

        string older = System.Text.RegularExpressions.Regex.Replace(json, @",\s*""class_balance"":\s*true", "");
        Assert.DoesNotContain("class_balance", older);
        Assert.False(SimulationResultJson.Deserialize(older).Settings.Cloud.ClassBalance);
    }

    [Fact]
    public void Reading_names_the_missing_key()
    {
        string json = SimulationResultJson.Serialize(Sample()).Replace("\"uplink_bytes\"", "\"uplink\"");
        var error = Assert.Throws<FormatException>(() => SimulationResultJson.Deserialize(json));
        Assert.Contains("uplink_bytes", error.Message);
        Assert.Throws<FormatException>(() => SimulationResultJson.Deserialize("{\"schema\": \"other\"}"));
    }

    [Fact]
    public void The_schema_document_lists_every_key_the_writer_writes()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "RESULTS_SCHEMA.md"));
        using var document = JsonDocument.Parse(SimulationResultJson.Serialize(Sample()));
        foreach (string key in Keys(document.RootElement))
            Assert.True(doc.Contains($"`{key}`"), $"docs/RESULTS_SCHEMA.md does not describe `{key}`");
    }

    // Every object key, except the names of methods and corruptions (data, not schema).
    private static IEnumerable<string> Keys(JsonElement element, bool namesAreData = false)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                if (!namesAreData) yield return p.Name;
                bool childNamesAreData = p.Name is "methods" or "per_corruption" or "per_corruption_upload_rate";
                foreach (string k in Keys(p.Value, childNamesAreData && !namesAreData)) yield return k;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            foreach (string k in Keys(item)) yield return k;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CemaActors.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("CemaActors.sln not found above the test binaries");
    }
}
