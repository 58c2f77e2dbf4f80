using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cema.Torch;
using Cema.Torch.Modules;
using Cema.Torch.Serialization;

namespace Cema.Models.Networks;

/// <summary>What the manifest records about one trained model; <see cref="Sha256"/> is the one expected digest of its file.</summary>
public sealed record ModelEntry(
    string File,
    string Sha256,
    string Spec,
    long Parameters,
    long MacsPerImage,
    ulong Seed,
    int Epochs,
    string Command,
    double WallSeconds,
    double ValidationAccuracy,
    string Recipe);

/// <summary>A model file is missing, damaged or does not match its manifest. The message says which file and how to get it back.</summary>
public sealed class ModelFileException(string path, string message, Exception? inner = null) : IOException(message, inner)
{
    public string FilePath { get; } = path;
}

/// <summary>
/// A directory of trained models (the repository's <c>models/</c>): <c>NAME.safetensors</c> state
/// dicts with PyTorch names, and <c>MODELS.json</c>, the manifest that holds each file's sha256 and
/// how it was made. The manifest is the only place the expected digests live: training writes it,
/// loading checks every file against it before reading a byte of tensor data.
/// </summary>
public static class ModelStore
{
    public const string ManifestFile = "MODELS.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string ManifestPath(string directory) => Path.Combine(directory, ManifestFile);

    /// <summary>The manifest's entries by model name; empty when there is no manifest yet.</summary>
    public static SortedDictionary<string, ModelEntry> ReadManifest(string directory)
    {
        string path = ManifestPath(directory);
        if (!File.Exists(path)) return new SortedDictionary<string, ModelEntry>(StringComparer.Ordinal);
        try
        {
            var entries = JsonSerializer.Deserialize<Dictionary<string, ModelEntry>>(File.ReadAllText(path), Json)
                ?? throw new JsonException("the manifest is null");
            return new SortedDictionary<string, ModelEntry>(entries, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"{path} is not a valid model manifest ({e.Message}); restore it with `git checkout {path}`", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s state dict to <c>NAME.safetensors</c> in <paramref name="directory"/>
    /// (metadata: format pt, the spec's name) and records it, with its sha256, in the manifest.
    /// </summary>
    public static ModelEntry Publish(string directory, string name, ResNet model, ModelEntry description)
    {
        Directory.CreateDirectory(directory);
        string file = name + ".safetensors";
        string path = Path.Combine(directory, file);
        using (var scope = torch.NewDisposeScope())
        {
            Safetensors.Save(path, model.state_dict(), new Dictionary<string, string> { ["format"] = "pt", ["spec"] = model.Spec.Name });
        }
        var entry = description with { File = file, Sha256 = Sha256Of(path), Spec = model.Spec.Name };
        var manifest = ReadManifest(directory);
        manifest[name] = entry;
        string manifestPath = ManifestPath(directory), temporary = $"{manifestPath}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(manifest, Json) + "\n");
        File.Move(temporary, manifestPath, overwrite: true);
        return entry;
    }

    /// <summary>Checks the file of model <paramref name="name"/> against the manifest and returns its entry; throws <see cref="ModelFileException"/>.</summary>
    public static ModelEntry Verify(string directory, string name)
    {
        string manifestPath = ManifestPath(directory);
        if (!File.Exists(manifestPath))
            throw new ModelFileException(manifestPath, $"{manifestPath} is missing, so no model in {directory} can be checked; " +
                $"restore it with `git checkout {manifestPath}` or train the model with `./cema train --model {name} --out {directory}`");
        var manifest = ReadManifest(directory);
        if (!manifest.TryGetValue(name, out var entry))
            throw new ModelFileException(manifestPath, $"{manifestPath} lists no model '{name}' (it lists {string.Join(", ", manifest.Keys)}); " +
                $"train it with `./cema train --model {name} --out {directory}`");
        string path = Path.Combine(directory, entry.File);
        string restore = $"restore it with `git checkout {path}` or retrain it with `{entry.Command}`";
        if (!File.Exists(path)) throw new ModelFileException(path, $"model file {path} is missing; {restore}");
        string actual = Sha256Of(path);
        if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelFileException(path, $"model file {path} is damaged: its sha256 is {actual} but {manifestPath} expects {entry.Sha256}; {restore}");
        return entry;
    }

    /// <summary>Verifies and loads model <paramref name="name"/>, built from the spec its manifest entry names.</summary>
    public static (ResNet model, ModelEntry entry) Load(string directory, string name)
    {
        var entry = Verify(directory, name);
        string path = Path.Combine(directory, entry.File);
        var model = new ResNet(ResNetSpec.ByName(entry.Spec));
        try
        {
            using var file = Safetensors.Load(path);
            model.load_state_dict(file.Tensors);
        }
        catch (Exception e) when (e is IOException or LoadStateDictException)
        {
            model.Dispose();
            throw new ModelFileException(path, $"model file {path} does not load as a {entry.Spec} network: {e.Message}", e);
        }
        return (model, entry);
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
