using System.Text.Json;

namespace Cema.Cli.Tests;

/// <summary><c>cema eval --protocol</c> runs adaptation methods online and writes the documented JSON.</summary>
public sealed class EvalProtocolTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cema-protocol-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Per_domain_protocol_writes_every_method_with_the_schema_keys()
    {
        string models = Path.Combine(directory, "models");
        foreach (var model in new[] { "edge", "foundation" })
        {
            var (trainCode, trainOut, trainErr) = CliTests.RunCema("train", "--model", model, "--epochs", "1", "--limit", "128",
                "--out", models, "--checkpoints", Path.Combine(directory, "checkpoints"));
            Assert.True(trainCode == 0, trainErr + trainOut);
        }

        string json = Path.Combine(directory, "table.json");
        var (code, stdout, stderr) = CliTests.RunCema("eval", "--protocol", "per-domain", "--methods", "source,bn,tent", "--severity", "5",
            "--limit", "64", "--models", models, "--json", json);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("seeds: stream", stdout);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var methods = doc.RootElement.GetProperty("methods");
        Assert.Equal(["source", "bn", "tent"], methods.EnumerateObject().Select(m => m.Name));
        foreach (var m in methods.EnumerateObject())
        {
            foreach (var key in new[] { "mean_accuracy", "upload_rate", "uplink_bytes", "downlink_bytes", "cloud_steps" })
                Assert.True(m.Value.TryGetProperty(key, out _), $"{m.Name} lacks {key}");
            var perCorruption = m.Value.GetProperty("per_corruption");
            Assert.Equal(15, perCorruption.EnumerateObject().Count());
            foreach (var c in perCorruption.EnumerateObject()) Assert.InRange(c.Value.GetDouble(), 0, 100);
        }
        Assert.Equal(0, methods.GetProperty("source").GetProperty("upload_rate").GetDouble());
        Assert.Equal(100, methods.GetProperty("tent").GetProperty("upload_rate").GetDouble());
        Assert.Equal(64 * 15 * (784 + 16), methods.GetProperty("tent").GetProperty("uplink_bytes").GetInt64());
        Assert.True(methods.GetProperty("tent").GetProperty("cloud_steps").GetInt64() > 0);
    }

    [Fact]
    public void Unknown_method_and_clean_severity_are_refused_with_messages()
    {
        var (code, _, stderr) = CliTests.RunCema("eval", "--protocol", "continual", "--methods", "source,magic", "--severity", "5");
        Assert.Equal(1, code);
        Assert.Contains("magic", stderr);

        (code, _, stderr) = CliTests.RunCema("eval", "--protocol", "continual", "--severity", "0");
        Assert.Equal(1, code);
        Assert.Contains("--severity 0", stderr);
    }

    [Fact]
    public void Analyze_selection_tallies_every_validation_sample_under_one_rule()
    {
        string json = Path.Combine(directory, "selection.json");
        var (code, stdout, stderr) = CliTests.RunCema("eval", "--split", "validation", "--protocol", "continual", "--severity", "5",
            "--limit", "64", "--analyze-selection", "--json", json);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("all (random)", stdout);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("validation", doc.RootElement.GetProperty("split").GetString());
        Assert.False(doc.RootElement.GetProperty("selector").GetProperty("exclude_unreliable").GetBoolean()); // reference.conf's selector
        var total = doc.RootElement.GetProperty("total");
        string[] rules = ["kept", "unreliable", "low_informative", "redundant"];
        long all = total.GetProperty("all").GetProperty("samples").GetInt64();
        Assert.Equal(4 * 64, all);
        Assert.Equal(all, rules.Sum(r => total.GetProperty(r).GetProperty("samples").GetInt64()));
        // The all-samples disagreement is the sample-weighted mean of the rules'.
        double weighted = rules.Sum(r => total.GetProperty(r).GetProperty("samples").GetInt64() * total.GetProperty(r).GetProperty("disagreement_rate").GetDouble()) / all;
        Assert.Equal(total.GetProperty("all").GetProperty("disagreement_rate").GetDouble(), weighted, 6);
        Assert.Equal(4, doc.RootElement.GetProperty("segments").GetArrayLength());
    }
}
