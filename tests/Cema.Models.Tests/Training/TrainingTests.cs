using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Models.Training;
using Cema.Torch;

namespace Cema.Models.Tests.Training;

// Trainer.Run seeds the global generator and then initializes the network from it: a test class drawing in parallel
// between the two would give the uninterrupted and the resumed run different initial weights.
[Collection(ProcessWideStateCollection.Name)]
public sealed class TrainingTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cema-training-{Guid.NewGuid():N}");

    public TrainingTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A tiny network (same builder and names as the shipped ones) so tests train in milliseconds.</summary>
    internal static readonly ResNetSpec Tiny = new("tiny", ResNetBlock.Basic,
        Widths: [4, 8], Depths: [1, 1], Strides: [2, 2], StemChannels: 4, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    /// <summary>Synthetic images whose class is readable from where the bright block is, so a few steps learn something.</summary>
    internal static Dataset Synthetic(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var pixels = new byte[count * Dataset.PixelsPerImage];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.NextInt(10);
            labels[i] = (byte)label;
            int top = 2 + label * 2;
            for (int y = top; y < top + 6; y++)
                for (int x = 6; x < 22; x++)
                    pixels[i * Dataset.PixelsPerImage + y * Dataset.Width + x] = (byte)random.NextInt(120, 256);
        }
        return new Dataset(pixels, labels, FashionMnist.ClassNames);
    }

    private static TrainingRecipe Recipe(int epochs, AugmentationKind augmentation = AugmentationKind.Standard) =>
        new(Tiny, epochs, Seed: 5, BatchSize: 32, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4, Nesterov: true,
            WarmupEpochs: 1, augmentation, CropPadding: 2);

    private static Dictionary<string, float[]> Values(Dictionary<string, Tensor> state) =>
        state.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32).ToArray<float>());

    [Fact]
    public void Checkpoint_save_then_load_restores_parameters_buffers_and_optimizer_state_exactly()
    {
        var recipe = Recipe(1);
        var result = Trainer.Run(recipe, Synthetic(96, 1), Synthetic(32, 2), Path.Combine(directory, "a"), resume: false);
        using var trained = result.Model;
        // Trainer.Run saved a checkpoint after its epoch; load it into a fresh network and optimizer.
        torch.manual_seed(123);
        using var fresh = new ResNet(Tiny);
        using var optimizer = torch.optim.SGD(fresh.parameters(), lr: 0.05, momentum: 0.9, weight_decay: 5e-4, nesterov: true);
        var info = Checkpoint.Load(Path.Combine(directory, "a"), fresh, optimizer);

        Assert.Equal(1, info.EpochsCompleted);
        Assert.Equal(5UL, info.Seed);
        Assert.Equal(RecipeRecord.From(recipe), info.Recipe);
        using var scope = torch.NewDisposeScope();
        var expected = Values(trained.state_dict());
        var actual = Values(fresh.state_dict());
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var key in expected.Keys) Assert.Equal(expected[key], actual[key]);

        // The optimizer's momentum buffers came back too: save again and compare the files' tensors.
        Checkpoint.Save(Path.Combine(directory, "b"), fresh, optimizer, info);
        using var a = Cema.Torch.Serialization.Safetensors.Load(Checkpoint.TensorsPath(Path.Combine(directory, "a")));
        using var b = Cema.Torch.Serialization.Safetensors.Load(Checkpoint.TensorsPath(Path.Combine(directory, "b")));
        Assert.Equal(a.Tensors.Keys, b.Tensors.Keys);
        Assert.Contains("optimizer.0.momentum_buffer", a.Tensors.Keys);
        Assert.Contains("model.layer1.0.bn1.num_batches_tracked", a.Tensors.Keys);
        foreach (var key in a.Tensors.Keys) Assert.True(a.Tensors[key].equal(b.Tensors[key]), key);
    }

    [Fact]
    public void Stopping_after_an_epoch_and_resuming_gives_the_same_weights_as_an_uninterrupted_run()
    {
        var train = Synthetic(96, 1);
        var validation = Synthetic(32, 2);
        var recipe = Recipe(2, AugmentationKind.AugMix);

        var whole = Trainer.Run(recipe, train, validation, Path.Combine(directory, "whole"), resume: false);
        var first = Trainer.Run(recipe, train, validation, Path.Combine(directory, "split"), resume: false, stopAfterEpoch: 1);
        Assert.False(first.Finished);
        Assert.Equal(1, first.Info.EpochsCompleted);
        first.Model.Dispose();
        var resumed = Trainer.Run(recipe, train, validation, Path.Combine(directory, "split"), resume: true);
        Assert.True(resumed.Finished);
        Assert.Equal(2, resumed.Info.History.Count);
        Assert.Equal(whole.Info.History.Select(h => h.ValidationAccuracy), resumed.Info.History.Select(h => h.ValidationAccuracy));

        using var scope = torch.NewDisposeScope();
        using var a = whole.Model;
        using var b = resumed.Model;
        var expected = Values(a.state_dict());
        var actual = Values(b.state_dict());
        foreach (var key in expected.Keys) Assert.Equal(expected[key], actual[key]);
    }

    [Fact]
    public void Resuming_with_another_recipe_is_refused_with_both_recipes_named()
    {
        var train = Synthetic(64, 1);
        Trainer.Run(Recipe(2), train, train, Path.Combine(directory, "r"), resume: false, stopAfterEpoch: 1).Model.Dispose();
        var e = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Run(Recipe(3), train, train, Path.Combine(directory, "r"), resume: true));
        Assert.Contains("2 epochs", e.Message);
        Assert.Contains("3 epochs", e.Message);
    }

    [Fact]
    public void Learning_rate_warms_up_linearly_then_follows_a_cosine_to_zero()
    {
        var schedule = new LearningRateSchedule(0.1, WarmupSteps: 10, TotalSteps: 110);
        Assert.Equal(0.01, schedule.At(0), 12);
        Assert.Equal(0.1, schedule.At(9), 12);
        Assert.Equal(0.1, schedule.At(10), 12);
        Assert.Equal(0.05, schedule.At(60), 12);
        Assert.Equal(0.0, schedule.At(110), 12);
        for (long s = 11; s < 110; s++) Assert.True(schedule.At(s) < schedule.At(s - 1));
        // A one-epoch run keeps half of itself for the decay.
        var shortRun = LearningRateSchedule.For(Recipe(1), stepsPerEpoch: 8);
        Assert.Equal(4, shortRun.WarmupSteps);
    }
}
