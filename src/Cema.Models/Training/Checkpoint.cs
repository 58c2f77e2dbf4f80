using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cema.Torch;
using Cema.Torch.Modules;
using Cema.Torch.Optim;
using Cema.Torch.Serialization;

namespace Cema.Models.Training;

/// <summary>One finished epoch, as the checkpoint and the progress output record it.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double ValidationAccuracy, double Seconds, double TrainImagesPerSecond, double LearningRate);

/// <summary>
/// The small JSON beside a checkpoint's tensors: which run it belongs to and how far it got.
/// <see cref="Recipe"/> fixes everything that must not change when the run is resumed.
/// </summary>
public sealed record CheckpointInfo(
    string Model,
    int EpochsCompleted,
    ulong Seed,
    RecipeRecord Recipe,
    double ElapsedSeconds,
    IReadOnlyList<EpochRecord> History);

/// <summary>A recipe in plain values, for JSON files and for comparing a resumed run with its checkpoint.</summary>
public sealed record RecipeRecord(
    string Spec, int Epochs, ulong Seed, int BatchSize, double LearningRate, double Momentum, double WeightDecay,
    bool Nesterov, double WarmupEpochs, string Augmentation, int CropPadding, int? Limit)
{
    public static RecipeRecord From(TrainingRecipe r) => new(r.Spec.Name, r.Epochs, r.Seed, r.BatchSize, r.LearningRate, r.Momentum,
        r.WeightDecay, r.Nesterov, r.WarmupEpochs, Training.Augmentation.Name(r.Augmentation), r.CropPadding, r.Limit);
}

/// <summary>
/// A training checkpoint: <c>NAME.safetensors</c> holds the model's state dict under "model.…" and
/// the optimizer's state under "optimizer.…" (PyTorch's names), <c>NAME.json</c> a
/// <see cref="CheckpointInfo"/>. The tensors are written first and the JSON last, both atomically,
/// and each records the epoch, so a run killed between the two writes is detected on resume.
/// </summary>
public static class Checkpoint
{
    public const string ModelPrefix = "model.";
    public const string OptimizerPrefix = "optimizer.";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string TensorsPath(string basePath) => basePath + ".safetensors";

    public static string InfoPath(string basePath) => basePath + ".json";

    public static bool Exists(string basePath) => File.Exists(TensorsPath(basePath)) && File.Exists(InfoPath(basePath));

    public static void Save(string basePath, Module model, Optimizer optimizer, CheckpointInfo info)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(basePath))!);
        using (var scope = torch.NewDisposeScope())
        {
            var tensors = new Dictionary<string, Tensor>();
            foreach (var (key, t) in model.state_dict()) tensors[ModelPrefix + key] = t;
            foreach (var (key, t) in optimizer.state_dict()) tensors[OptimizerPrefix + key] = t;
            Safetensors.Save(TensorsPath(basePath), tensors, new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["model"] = info.Model,
                ["epochs_completed"] = info.EpochsCompleted.ToString(CultureInfo.InvariantCulture),
            });
        }
        string json = InfoPath(basePath), temporary = $"{json}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(info, Json));
        File.Move(temporary, json, overwrite: true);
    }

    public static CheckpointInfo ReadInfo(string basePath)
    {
        string json = InfoPath(basePath);
        if (!File.Exists(json)) throw new FileNotFoundException($"no checkpoint at {json}", json);
        try
        {
            return JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllText(json), Json)
                ?? throw new InvalidDataException($"{json} holds null, not a checkpoint");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{json} is not a checkpoint's JSON: {e.Message}", e);
        }
    }

    /// <summary>Restores model and optimizer from the checkpoint at <paramref name="basePath"/> and returns its info.</summary>
    public static CheckpointInfo Load(string basePath, Module model, Optimizer optimizer)
    {
        var info = ReadInfo(basePath);
        string path = TensorsPath(basePath);
        using var file = Safetensors.Load(path);
        string? epochs = file.Metadata is { } m && m.TryGetValue("epochs_completed", out var e) ? e : null;
        if (epochs != info.EpochsCompleted.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"{path} holds epoch {epochs ?? "?"} but {InfoPath(basePath)} says {info.EpochsCompleted}: the run stopped while writing the checkpoint; start again without --resume");
        var modelState = new Dictionary<string, Tensor>();
        var optimizerState = new Dictionary<string, Tensor>();
        foreach (var (key, t) in file.Tensors)
        {
            if (key.StartsWith(ModelPrefix, StringComparison.Ordinal)) modelState[key[ModelPrefix.Length..]] = t;
            else if (key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizerState[key[OptimizerPrefix.Length..]] = t;
            else throw new InvalidDataException($"{path}: tensor '{key}' is neither model.… nor optimizer.…");
        }
        model.load_state_dict(modelState);
        optimizer.load_state_dict(optimizerState);
        return info;
    }
}
