using System.Text;
using System.Text.Json;
using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;

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
        w.WriteNumber("torch_threads", result.TorchThreads);
        WriteSettings(w, result.Settings);
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

    private static void WriteSettings(Utf8JsonWriter w, MethodSettings s)
    {
        w.WriteStartObject("settings");
        WriteSelector(w, "selector", s.Selector);
        WriteSelector(w, "eata_selector", s.EataSelector);
        w.WriteStartObject("cloud");
        w.WriteNumber("e0_fraction", s.Cloud.E0Fraction);
        w.WriteNumber("foundation_learning_rate", s.Cloud.FoundationLearningRate);
        w.WriteNumber("edge_learning_rate", s.Cloud.EdgeLearningRate);
        w.WriteNumber("momentum", s.Cloud.Momentum);
        w.WriteNumber("alpha", s.Cloud.Alpha);
        w.WriteNumber("beta", s.Cloud.Beta);
        w.WriteNumber("gamma", s.Cloud.Gamma);
        w.WriteNumber("temperature", s.Cloud.Temperature);
        w.WriteBoolean("renormalization", s.Cloud.Renormalization);
        w.WriteBoolean("class_balance", s.Cloud.ClassBalance);
        w.WriteEndObject();
        w.WriteStartObject("replay");
        w.WriteNumber("capacity", s.Replay.Capacity);
        w.WriteNumber("max_bytes", s.Replay.MaxBytes);
        w.WriteNumber("new_per_step", s.Replay.NewPerStep);
        w.WriteNumber("minimum_for_replay", s.Replay.MinimumForReplay);
        w.WriteNumber("replayed_per_step", s.Replay.ReplayedPerStep);
        w.WriteNumber("replay_only_batch", s.Replay.ReplayOnlyBatch);
        w.WriteEndObject();
        WriteEntropyMinimization(w, "tent", s.Tent);
        WriteEntropyMinimization(w, "eata", s.Eata);
        w.WriteEndObject();
    }

    /// <summary>An upload selector's settings as the object <paramref name="name"/>, keys as in docs/RESULTS_SCHEMA.md's <c>settings.selector</c>.</summary>
    public static void WriteSelector(Utf8JsonWriter w, string name, EntropySelectorSettings s)
    {
        w.WriteStartObject(name);
        w.WriteBoolean("exclude_unreliable", s.ExcludeUnreliable);
        w.WriteNumber("e0_fraction", s.E0Fraction);
        w.WriteBoolean("dynamic_threshold", s.DynamicThreshold);
        w.WriteNumber("warm_up_samples", s.WarmUpSamples);
        w.WriteNumber("lambda", s.Lambda);
        w.WriteBoolean("exclude_low_informative", s.ExcludeLowInformative);
        w.WriteNumber("e_min_fraction", s.EMinFraction);
        w.WriteBoolean("exclude_redundant", s.ExcludeRedundant);
        w.WriteNumber("redundancy_epsilon", s.RedundancyEpsilon);
        w.WriteNumber("redundancy_momentum", s.RedundancyMomentum);
        w.WriteEndObject();
    }

    private static void WriteEntropyMinimization(Utf8JsonWriter w, string name, EntropyMinimizationSettings s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("learning_rate", s.LearningRate);
        w.WriteBoolean("renormalization", s.Renormalization);
        w.WriteNumber("momentum", s.Momentum);
        w.WriteNumber("batch_size", s.BatchSize);
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
                TorchThreads: Get(root, "torch_threads").GetInt32(),
                Settings: ReadSettings(Get(root, "settings")),
                Segments: Get(root, "segments").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                EdgeModel: Get(models, "edge").GetString()!,
                FoundationModel: Get(models, "foundation").GetString()!,
                Methods: methods,
                Elapsed: FromSeconds(Get(root, "elapsed_seconds").GetDouble()));
        }
    }

    private static MethodSettings ReadSettings(JsonElement s)
    {
        var cloud = Get(s, "cloud");
        var replay = Get(s, "replay");
        return new MethodSettings(
            ReadSelector(Get(s, "selector")),
            ReadSelector(Get(s, "eata_selector")),
            new CemaCloudSettings(
                Get(cloud, "e0_fraction").GetDouble(), Get(cloud, "foundation_learning_rate").GetDouble(), Get(cloud, "edge_learning_rate").GetDouble(),
                Get(cloud, "momentum").GetDouble(), Get(cloud, "alpha").GetDouble(), Get(cloud, "beta").GetDouble(), Get(cloud, "gamma").GetDouble(),
                Get(cloud, "temperature").GetDouble(), Get(cloud, "renormalization").GetBoolean(),
                // Absent from results written before the setting existed, whose loss was the paper's.
                cloud.TryGetProperty("class_balance", out var balance) && balance.GetBoolean()),
            new ReplaySettings(
                Get(replay, "capacity").GetInt32(), Get(replay, "max_bytes").GetInt64(), Get(replay, "new_per_step").GetInt32(),
                Get(replay, "minimum_for_replay").GetInt32(), Get(replay, "replayed_per_step").GetInt32(), Get(replay, "replay_only_batch").GetInt32()),
            ReadEntropyMinimization(Get(s, "tent")),
            ReadEntropyMinimization(Get(s, "eata")));
    }

    private static EntropySelectorSettings ReadSelector(JsonElement s) => new(
        Get(s, "exclude_unreliable").GetBoolean(), Get(s, "e0_fraction").GetDouble(), Get(s, "dynamic_threshold").GetBoolean(),
        Get(s, "warm_up_samples").GetInt32(), Get(s, "lambda").GetDouble(), Get(s, "exclude_low_informative").GetBoolean(),
        Get(s, "e_min_fraction").GetDouble(), Get(s, "exclude_redundant").GetBoolean(), Get(s, "redundancy_epsilon").GetDouble(),
        Get(s, "redundancy_momentum").GetDouble());

    private static EntropyMinimizationSettings ReadEntropyMinimization(JsonElement s) =>
        new(Get(s, "learning_rate").GetDouble(), Get(s, "momentum").GetDouble(), Get(s, "batch_size").GetInt32(), Get(s, "renormalization").GetBoolean());

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
