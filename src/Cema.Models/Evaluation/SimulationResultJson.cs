using System.Text;
using System.Text.Json;
using Cema.Models.Adaptation;

namespace Cema.Models.Evaluation;

/// <summary>
/// Writes and reads <see cref="SimulationResult"/> as JSON, schema "cema-simulation" version 1
/// (docs/RESULTS_SCHEMA.md describes every key). Accuracies and rates are percentages; keys are
/// snake_case; methods and corruptions keep the run's order. Reading gives back the same result
/// (times to the microsecond).
/// </summary>
public static class SimulationResultJson
{
    public const string SchemaName = "cema-simulation";
    public const int SchemaVersion = 1;

    /// <summary>The wire name of an encoding: "fp32", "fp16", "fp16-delta".</summary>
    public static string EncodingName(NormParamsEncoding encoding) => encoding switch
    {
        NormParamsEncoding.Fp32 => "fp32",
        NormParamsEncoding.Fp16 => "fp16",
        NormParamsEncoding.Fp16Delta => "fp16-delta",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown encoding"),
    };

    /// <summary>The encoding written <paramref name="name"/> ("fp32", "fp16", "fp16-delta").</summary>
    public static NormParamsEncoding ParseEncoding(string name) => name switch
    {
        "fp32" => NormParamsEncoding.Fp32,
        "fp16" => NormParamsEncoding.Fp16,
        "fp16-delta" => NormParamsEncoding.Fp16Delta,
        _ => throw new FormatException($"unknown downlink encoding '{name}' (expected fp32, fp16 or fp16-delta)"),
    };

    public static string Serialize(SimulationResult result)
    {
        using var buffer = new MemoryStream();
        Write(result, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void WriteFile(SimulationResult result, string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var file = File.Create(path);
        Write(result, file);
    }

    public static void Write(SimulationResult result, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", SchemaName);
        w.WriteNumber("schema_version", SchemaVersion);
        w.WriteString("protocol", result.Protocol);
        if (result.Severity is { } severity) w.WriteNumber("severity", severity); else w.WriteNull("severity");
        w.WriteNumber("limit", result.Limit);
        w.WriteNumber("batch_size", result.BatchSize);
        w.WriteNumber("update_delay", result.UpdateDelay);
        w.WriteString("downlink_encoding", EncodingName(result.DownlinkEncoding));
        w.WriteNumber("upload_header_bytes", result.UploadHeaderBytes);
        w.WriteStartObject("seeds");
        w.WriteNumber("stream", result.StreamSeed);
        w.WriteNumber("replay", result.Seeds.Replay);
        w.WriteNumber("random_upload", result.Seeds.RandomUpload);
        w.WriteNumber("torch", result.Seeds.Torch);
        w.WriteEndObject();
        WriteStrings(w, "corruption_order", result.CorruptionOrder);
        WriteStrings(w, "segments", result.Segments);
        w.WriteStartObject("models");
        w.WriteString("edge", result.EdgeModel);
        w.WriteString("foundation", result.FoundationModel);
        w.WriteEndObject();
        w.WriteNumber("elapsed_seconds", Seconds(result.Elapsed));
        w.WriteStartObject("methods");
        foreach (var method in result.Methods) WriteMethod(w, method);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteMethod(Utf8JsonWriter w, MethodResult m)
    {
        w.WriteStartObject(m.Name);
        w.WriteNumber("mean_accuracy", m.MeanAccuracy);
        w.WriteNumber("overall_accuracy", m.OverallAccuracy);
        w.WriteNumber("upload_rate", m.UploadRate);
        w.WriteNumber("samples", m.Samples);
        w.WriteNumber("correct", m.Correct);
        w.WriteNumber("uploads", m.Uploads);
        w.WriteNumber("uplink_bytes", m.UplinkBytes);
        w.WriteNumber("downlink_bytes", m.DownlinkBytes);
        w.WriteStartObject("downlink_bytes_by_encoding");
        w.WriteNumber("fp32", m.Downlink.Fp32);
        w.WriteNumber("fp16", m.Downlink.Fp16);
        w.WriteNumber("fp16-delta", m.Downlink.Fp16Delta);
        w.WriteEndObject();
        w.WriteNumber("updates_sent", m.UpdatesSent);
        w.WriteNumber("updates_applied", m.UpdatesApplied);
        w.WriteNumber("cloud_steps", m.CloudSteps);
        w.WriteNumber("replay_only_steps", m.ReplayOnlySteps);
        w.WriteNumber("sessions", m.Sessions);
        if (m.RandomUploadRate is { } rate) w.WriteNumber("random_upload_rate", rate); else w.WriteNull("random_upload_rate");
        if (m.Selection is { } s)
        {
            w.WriteStartObject("selection");
            w.WriteNumber("total", s.Total);
            w.WriteNumber("unreliable", s.Unreliable);
            w.WriteNumber("low_informative", s.LowInformative);
            w.WriteNumber("redundant", s.Redundant);
            w.WriteNumber("kept", s.Kept);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("selection");
        }
        WriteMap(w, "per_corruption", m.PerCorruption);
        WriteMap(w, "per_corruption_upload_rate", m.PerCorruptionUploadRate);
        w.WriteStartArray("segments");
        foreach (var seg in m.Segments)
        {
            w.WriteStartObject();
            w.WriteNumber("index", seg.Index);
            w.WriteString("corruption", seg.Corruption);
            w.WriteNumber("severity", seg.Severity);
            w.WriteNumber("samples", seg.Samples);
            w.WriteNumber("correct", seg.Correct);
            w.WriteNumber("uploads", seg.Uploads);
            w.WriteNumber("accuracy", seg.Accuracy);
            w.WriteNumber("upload_rate", seg.UploadRate);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("timing");
        w.WriteNumber("elapsed_seconds", Seconds(m.Timing.Elapsed));
        w.WriteNumber("edge_seconds", Seconds(m.Timing.Edge));
        w.WriteNumber("cloud_seconds", Seconds(m.Timing.Cloud));
        w.WriteNumber("cloud_step_seconds", Seconds(m.Timing.CloudSteps));
        w.WriteNumber("cloud_step_ms", m.CloudStepMilliseconds);
        w.WriteNumber("samples_per_second", m.SamplesPerSecond);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, double>> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values) w.WriteNumber(key, value);
        w.WriteEndObject();
    }

    // Microseconds: enough for any timing here, and the value reads back exactly.
    private static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 6);

    private static TimeSpan FromSeconds(double s) => TimeSpan.FromTicks((long)Math.Round(s * TimeSpan.TicksPerSecond));

    // ---- reading ------------------------------------------------------------------------------------

    public static SimulationResult ReadFile(string path)
    {
        try
        {
            return Deserialize(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a result written by <see cref="Write"/>. Derived values (accuracies, rates, timing ratios) are recomputed, not read.</summary>
    /// <exception cref="FormatException">naming the key that is missing or wrong.</exception>
    public static SimulationResult Deserialize(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            string schema = Get(root, "schema").GetString() ?? "";
            if (schema != SchemaName) throw new FormatException($"schema is '{schema}', expected '{SchemaName}'");
            int version = Get(root, "schema_version").GetInt32();
            if (version != SchemaVersion) throw new FormatException($"schema_version {version} is not supported (this reader knows {SchemaVersion})");
            var seeds = Get(root, "seeds");
            var models = Get(root, "models");
            var severity = Get(root, "severity");
            var methods = Get(root, "methods").EnumerateObject().Select(p => ReadMethod(p.Name, p.Value)).ToArray();
            return new SimulationResult(
                Protocol: Get(root, "protocol").GetString()!,
                Severity: severity.ValueKind == JsonValueKind.Null ? null : severity.GetInt32(),
                Limit: Get(root, "limit").GetInt32(),
                BatchSize: Get(root, "batch_size").GetInt32(),
                UpdateDelay: Get(root, "update_delay").GetInt32(),
                DownlinkEncoding: ParseEncoding(Get(root, "downlink_encoding").GetString()!),
                UploadHeaderBytes: Get(root, "upload_header_bytes").GetInt32(),
                StreamSeed: Get(seeds, "stream").GetUInt64(),
                Seeds: new SimulationSeeds(Get(seeds, "replay").GetUInt64(), Get(seeds, "random_upload").GetUInt64(), Get(seeds, "torch").GetInt64()),
                Segments: Get(root, "segments").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                EdgeModel: Get(models, "edge").GetString()!,
                FoundationModel: Get(models, "foundation").GetString()!,
                Methods: methods,
                Elapsed: FromSeconds(Get(root, "elapsed_seconds").GetDouble()));
        }
    }

    private static MethodResult ReadMethod(string name, JsonElement m)
    {
        var downlink = Get(m, "downlink_bytes_by_encoding");
        var selection = Get(m, "selection");
        var rate = Get(m, "random_upload_rate");
        var timing = Get(m, "timing");
        return new MethodResult(
            Name: name,
            Segments: Get(m, "segments").EnumerateArray().Select(s => new SegmentResult(
                Get(s, "index").GetInt32(), Get(s, "corruption").GetString()!, Get(s, "severity").GetInt32(),
                Get(s, "samples").GetInt64(), Get(s, "correct").GetInt64(), Get(s, "uploads").GetInt64())).ToArray(),
            UplinkBytes: Get(m, "uplink_bytes").GetInt64(),
            DownlinkBytes: Get(m, "downlink_bytes").GetInt64(),
            Downlink: new DownlinkSizes(Get(downlink, "fp32").GetInt64(), Get(downlink, "fp16").GetInt64(), Get(downlink, "fp16-delta").GetInt64()),
            UpdatesSent: Get(m, "updates_sent").GetInt64(),
            UpdatesApplied: Get(m, "updates_applied").GetInt64(),
            CloudSteps: Get(m, "cloud_steps").GetInt64(),
            ReplayOnlySteps: Get(m, "replay_only_steps").GetInt64(),
            Sessions: Get(m, "sessions").GetInt32(),
            Selection: selection.ValueKind == JsonValueKind.Null ? null : new SelectionCounts(
                Get(selection, "total").GetInt64(), Get(selection, "unreliable").GetInt64(), Get(selection, "low_informative").GetInt64(),
                Get(selection, "redundant").GetInt64(), Get(selection, "kept").GetInt64()),
            RandomUploadRate: rate.ValueKind == JsonValueKind.Null ? null : rate.GetDouble(),
            Timing: new MethodTiming(
                FromSeconds(Get(timing, "elapsed_seconds").GetDouble()), FromSeconds(Get(timing, "edge_seconds").GetDouble()),
                FromSeconds(Get(timing, "cloud_seconds").GetDouble()), FromSeconds(Get(timing, "cloud_step_seconds").GetDouble())));
    }

    private static JsonElement Get(JsonElement element, string key)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException($"expected an object holding '{key}', got {element.ValueKind}");
        return element.TryGetProperty(key, out var value) ? value : throw new FormatException($"missing key '{key}'");
    }
}
