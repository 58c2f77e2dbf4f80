using System.CommandLine;
using System.Globalization;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Models.Training;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema train --model edge|foundation</c>: trains a network on the clean training split (the
/// first 55,000 images of the training file; the last 5,000 validate), checkpoints every epoch,
/// and publishes the final weights with their sha256 into the models directory's manifest.
/// The recipe's defaults are in hocon/reference.conf (cema.train).
/// </summary>
internal static class TrainCommand
{
    public static readonly string[] Models = ["edge", "foundation"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Which network: edge or foundation.", Required = true };
        model.AcceptOnlyFromAmong(Models);
        var epochs = new Option<int?>("--epochs") { Description = "Epochs of the whole run (default: cema.train.MODEL.epochs)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of weights, order and augmentation (default: cema.train.seed)." };
        var output = new Option<string?>("--out") { Description = "Directory for MODEL.safetensors and MODELS.json (default: cema.models.dir)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last epoch's checkpoint of the same recipe." };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Checkpoint directory (default: cema.train.checkpoint-dir)." };
        var data = new Option<string?>("--data") { Description = "Fashion-MNIST directory (default: cema.data.fashion-mnist)." };
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training images and validate on the first N validation images (tests).", Hidden = true };
        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop after this many epochs, leaving the checkpoint (tests of --resume).", Hidden = true };
        var command = new Command("train", "Train the edge or foundation network on clean Fashion-MNIST; checkpoint per epoch; publish weights + sha256.")
        {
            model, epochs, seed, output, resume, checkpoints, data, limit, stopAfter,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(model)!, parse.GetValue(epochs), parse.GetValue(seed), parse.GetValue(output), parse.GetValue(resume),
                    parse.GetValue(checkpoints), parse.GetValue(data), parse.GetValue(limit), parse.GetValue(stopAfter));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException)
            {
                Console.Error.WriteLine($"cema train: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(string name, int? epochs, ulong? seed, string? output, bool resume, string? checkpoints, string? data, int? limit, int? stopAfter)
    {
        var settings = CliSettings.Current;
        int threads = settings.ApplyThreads();
        var recipe = settings.Recipe(name, epochs, seed, limit);
        recipe.Validate();
        string outDir = output is null ? settings.ModelsDirectory : Path.GetFullPath(output);
        string checkpointBase = Path.Combine(checkpoints is null ? settings.CheckpointDirectory : Path.GetFullPath(checkpoints), name + ".checkpoint");
        if (resume && !Checkpoint.Exists(checkpointBase))
        {
            Console.Error.WriteLine($"cema train: --resume: there is no checkpoint at {Checkpoint.InfoPath(checkpointBase)}; run without --resume to start");
            return 1;
        }

        FashionMnistSplits splits;
        try
        {
            splits = FashionMnist.LoadSplits(data is null ? settings.DataDirectory : data);
        }
        catch (DatasetFileException e)
        {
            Console.Error.WriteLine($"cema train: {e.Message}");
            return 1;
        }

        using (var probe = new ResNet(recipe.Spec))
        {
            Console.WriteLine($"train {name}: ResNet '{recipe.Spec.Name}' widths {string.Join('/', recipe.Spec.Widths)} depths {string.Join('/', recipe.Spec.Depths)}, " +
                $"{probe.ParameterCount():N0} parameters, {recipe.Spec.MacsPerImage() / 1e6:F2} M MACs/image");
        }
        int images = recipe.Limit ?? splits.Train.Count;
        Console.WriteLine($"  data     {images} training images (clean), {Math.Min(images, splits.Validation.Count)} validation images");
        Console.WriteLine($"  recipe   {recipe.Epochs} epochs, batch {recipe.BatchSize}, SGD lr {Num(recipe.LearningRate)} momentum {Num(recipe.Momentum)}" +
            $"{(recipe.Nesterov ? " (Nesterov)" : "")} weight decay {Num(recipe.WeightDecay)}, warm-up {Num(recipe.WarmupEpochs)} epoch then cosine");
        Console.WriteLine($"  augment  {Augmentation.Name(recipe.Augmentation)} (crop padding {recipe.CropPadding}, horizontal flip" +
            (recipe.Augmentation == AugmentationKind.AugMix ? $", AugMix width {AugMix.Width} depth 1–{AugMix.MaxDepth} severity {Num(AugMix.Severity)})" : ")"));
        Console.WriteLine($"  seed     {recipe.Seed}");
        Console.WriteLine($"  threads  {threads}");
        Console.WriteLine($"  checkpoint {Checkpoint.TensorsPath(checkpointBase)}{(resume ? " (resuming)" : "")}");

        var progress = ProgressLine.ForConsole(TimeSpan.FromSeconds(30));
        var result = Trainer.Run(recipe, splits.Train, splits.Validation, checkpointBase, resume, stopAfter,
            onStep: p => progress.Update(
                $"epoch {p.Epoch}/{p.Epochs} {ProgressLine.Bar((double)p.Step / p.StepsPerEpoch)} {p.Step}/{p.StepsPerEpoch} " +
                $"loss {p.Loss:F4} acc {p.Accuracy:F2}% lr {p.LearningRate:F4} {p.ImagesPerSecond:F0} img/s ETA {ProgressLine.Duration(p.Eta)}",
                force: p.Step == 1),
            onEpoch: e => progress.WriteLine(
                $"epoch {e.Epoch}/{recipe.Epochs}  loss {e.TrainLoss:F4}  train acc {e.TrainAccuracy:F2}%  val acc {e.ValidationAccuracy:F2}%  " +
                $"{e.Seconds:F1} s ({e.TrainImagesPerSecond:F0} img/s)  lr {e.LearningRate:F4}"));
        using var net = result.Model;
        var info = result.Info;
        if (!result.Finished)
        {
            Console.WriteLine($"stopped after epoch {info.EpochsCompleted} of {recipe.Epochs}; continue with --resume");
            return 0;
        }

        string commandLine = CommandLine(name, recipe, output);
        var entry = ModelStore.Publish(outDir, name, net, new ModelEntry(
            File: "", Sha256: "", Spec: recipe.Spec.Name, Parameters: net.ParameterCount(), MacsPerImage: recipe.Spec.MacsPerImage(),
            Seed: recipe.Seed, Epochs: recipe.Epochs, Command: commandLine, WallSeconds: Math.Round(info.ElapsedSeconds, 1),
            ValidationAccuracy: info.History[^1].ValidationAccuracy, Recipe: Describe(recipe)));
        Console.WriteLine($"done: {recipe.Epochs} epochs in {ProgressLine.Duration(TimeSpan.FromSeconds(info.ElapsedSeconds))} ({info.ElapsedSeconds:F0} s), " +
            $"validation accuracy {info.History[^1].ValidationAccuracy:F2}%");
        Console.WriteLine($"wrote {Path.Combine(outDir, entry.File)}");
        Console.WriteLine($"sha256 {entry.Sha256} (recorded in {ModelStore.ManifestPath(outDir)})");
        return 0;
    }

    /// <summary>The command that retrains this model from scratch, as the manifest records it.</summary>
    private static string CommandLine(string name, TrainingRecipe recipe, string? output)
    {
        var parts = new List<string> { "./cema", "train", "--model", name, "--epochs", recipe.Epochs.ToString(CultureInfo.InvariantCulture), "--seed", recipe.Seed.ToString(CultureInfo.InvariantCulture) };
        if (recipe.Limit is int limit) parts.AddRange(["--limit", limit.ToString(CultureInfo.InvariantCulture)]);
        if (output is not null) parts.AddRange(["--out", output]);
        if (CliSettings.Arguments.ConfigFile is { } config) parts.AddRange(["--config", config]);
        foreach (var set in CliSettings.Arguments.Sets) parts.AddRange(["--set", set]);
        return string.Join(' ', parts);
    }

    private static string Describe(TrainingRecipe r) =>
        $"SGD lr {Num(r.LearningRate)} momentum {Num(r.Momentum)}{(r.Nesterov ? " nesterov" : "")} wd {Num(r.WeightDecay)}, batch {r.BatchSize}, " +
        $"warm-up {Num(r.WarmupEpochs)} + cosine, augmentation {Augmentation.Name(r.Augmentation)} (crop pad {r.CropPadding} + flip)";

    private static string Num(double v) => v.ToString("0.#####", CultureInfo.InvariantCulture);
}
