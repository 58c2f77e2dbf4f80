using Cema.Models.Networks;
using Cema.Models.Tests.Training;
using Cema.Torch;

namespace Cema.Models.Tests.Networks;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cema-models-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private static ModelEntry Description => new("", "", "", 0, 0, Seed: 3, Epochs: 1,
        Command: "./cema train --model edge --epochs 1 --seed 3", WallSeconds: 1, ValidationAccuracy: 50, Recipe: "test");

    [Fact]
    public void Publish_records_the_sha256_and_load_returns_the_same_weights()
    {
        using var net = new ResNet(ResNetSpec.Edge);
        var entry = ModelStore.Publish(directory, "edge", net, Description);
        Assert.Equal("edge.safetensors", entry.File);
        Assert.Equal(ModelStore.Sha256Of(Path.Combine(directory, "edge.safetensors")), entry.Sha256);
        Assert.Equal(entry, ModelStore.ReadManifest(directory)["edge"]);

        var (loaded, loadedEntry) = ModelStore.Load(directory, "edge");
        using var _ = loaded;
        Assert.Equal(entry, loadedEntry);
        using var scope = torch.NewDisposeScope();
        var expected = net.state_dict();
        foreach (var (key, value) in loaded.state_dict()) Assert.True(value.equal(expected[key]), key);

        using var file = Cema.Torch.Serialization.Safetensors.Load(Path.Combine(directory, "edge.safetensors"));
        Assert.Equal("edge", file.Metadata!["spec"]);
        Assert.Equal("pt", file.Metadata!["format"]);
        Assert.Contains("layer1.0.conv1.weight", file.Tensors.Keys);
    }

    [Fact]
    public void A_modified_file_is_rejected_with_a_message_naming_it_and_how_to_restore_it()
    {
        using var net = new ResNet(ResNetSpec.Edge);
        ModelStore.Publish(directory, "edge", net, Description);
        string path = Path.Combine(directory, "edge.safetensors");
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0x01;   // one bit of one weight
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ModelFileException>(() => ModelStore.Load(directory, "edge"));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Contains("damaged", e.Message);
        Assert.Contains($"git checkout {path}", e.Message);
        Assert.Contains("./cema train --model edge --epochs 1 --seed 3", e.Message);

        File.Delete(path);
        e = Assert.Throws<ModelFileException>(() => ModelStore.Verify(directory, "edge"));
        Assert.Contains("missing", e.Message);
        Assert.Contains(path, e.Message);

        e = Assert.Throws<ModelFileException>(() => ModelStore.Verify(directory, "foundation"));
        Assert.Contains("lists no model 'foundation'", e.Message);
    }
}
