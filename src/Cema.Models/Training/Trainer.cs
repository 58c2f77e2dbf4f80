using System.Diagnostics;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Models.Networks;
using Cema.Torch;
using Cema.Torch.Optim;

namespace Cema.Models.Training;

/// <summary>Where a run is, reported after every step.</summary>
public sealed record TrainProgress(
    int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double Accuracy,
    double ImagesPerSecond, TimeSpan Eta, double LearningRate);

/// <summary>What a run ends with: the network (owned by the caller) and the checkpoint info of its last epoch.</summary>
public sealed record TrainResult(ResNet Model, CheckpointInfo Info, bool Finished);

/// <summary>
/// Supervised training of a <see cref="ResNet"/> on Fashion-MNIST: SGD with momentum and weight
/// decay under <see cref="LearningRateSchedule"/>, cross-entropy, one checkpoint per epoch,
/// validation accuracy after every epoch. Deterministic given the recipe: the weights come from
/// <c>torch.manual_seed(seed)</c>, epoch e's order from SeededRandom(seed, "train-order", e) and
/// image i's augmentation in epoch e from SeededRandom(seed, "augment", e, i), so resuming from a
/// checkpoint gives the same weights as never stopping.
/// </summary>
public static class Trainer
{
    public const int ValidationBatchSize = 256;

    /// <param name="checkpointBase">checkpoint path without extension (…/edge.checkpoint)</param>
    /// <param name="resume">continue from the checkpoint instead of starting afresh</param>
    /// <param name="stopAfterEpoch">stop (leaving the checkpoint) once this many epochs are done; null runs to the end</param>
    public static TrainResult Run(
        TrainingRecipe recipe, Dataset train, Dataset validation, string checkpointBase, bool resume,
        int? stopAfterEpoch = null, Action<TrainProgress>? onStep = null, Action<EpochRecord>? onEpoch = null)
    {
        recipe.Validate();
        if (recipe.Limit is int limit)
        {
            if (limit > train.Count) throw new ArgumentOutOfRangeException(nameof(recipe), limit, $"--limit {limit} is more than the {train.Count} training images");
            train = train.Slice(0, limit);
            validation = validation.Slice(0, Math.Min(limit, validation.Count));
        }

        torch.manual_seed((long)recipe.Seed);
        var model = new ResNet(recipe.Spec);
        try
        {
            using var optimizer = torch.optim.SGD(model.parameters(), lr: recipe.LearningRate, momentum: recipe.Momentum,
                weight_decay: recipe.WeightDecay, nesterov: recipe.Nesterov);
            var record = RecipeRecord.From(recipe);
            var info = new CheckpointInfo(recipe.Spec.Name, 0, recipe.Seed, record, 0, Array.Empty<EpochRecord>());
            if (resume)
            {
                var saved = Checkpoint.ReadInfo(checkpointBase);
                if (saved.Recipe != record)
                    throw new InvalidOperationException($"the checkpoint {Checkpoint.InfoPath(checkpointBase)} was made with a different recipe " +
                        $"({Describe(saved.Recipe)}) than this run ({Describe(record)}); resume with the same options or start again without --resume");
                info = Checkpoint.Load(checkpointBase, model, optimizer);
            }

            int steps = (train.Count + recipe.BatchSize - 1) / recipe.BatchSize;
            var schedule = LearningRateSchedule.For(recipe, steps);
            int lastEpoch = Math.Min(recipe.Epochs, stopAfterEpoch ?? recipe.Epochs);
            var runClock = Stopwatch.StartNew();
            long stepsThisRun = 0;
            long stepsLeft = (long)(recipe.Epochs - info.EpochsCompleted) * steps;
            for (int epoch = info.EpochsCompleted + 1; epoch <= lastEpoch; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                var batches = new EpochBatches(train, recipe, epoch);
                model.train();
                double lossSum = 0, lr = 0;
                long correct = 0, seen = 0;
                for (int step = 0; step < steps; step++)
                {
                    var (pixels, labels) = batches.Next();
                    int n = labels.Length;
                    lr = schedule.At((long)(epoch - 1) * steps + step);
                    optimizer.lr = lr;
                    using (var scope = torch.NewDisposeScope())
                    {
                        optimizer.zero_grad();
                        var x = torch.tensor<float>(pixels, n, 1, Dataset.Height, Dataset.Width);
                        var y = torch.tensor<long>(labels, n);
                        var logits = model.call(x);
                        var loss = torch.nn.functional.cross_entropy(logits, y);
                        loss.backward();
                        optimizer.step();
                        lossSum += loss.item<float>() * n;
                        correct += logits.argmax(1).eq(y).sum().item<long>();
                    }
                    seen += n;
                    stepsThisRun++;
                    stepsLeft--;
                    double elapsed = runClock.Elapsed.TotalSeconds;
                    onStep?.Invoke(new TrainProgress(epoch, recipe.Epochs, step + 1, steps, lossSum / seen, 100.0 * correct / seen,
                        stepsThisRun * (double)recipe.BatchSize / elapsed, TimeSpan.FromSeconds(elapsed / stepsThisRun * stepsLeft), lr));
                }
                double trainSeconds = epochClock.Elapsed.TotalSeconds;
                double validationAccuracy = Evaluator.Accuracy(model, validation, validation.Count, ValidationBatchSize);
                var epochRecord = new EpochRecord(epoch, lossSum / seen, 100.0 * correct / seen, validationAccuracy, epochClock.Elapsed.TotalSeconds, seen / trainSeconds, lr);
                info = info with
                {
                    EpochsCompleted = epoch,
                    ElapsedSeconds = info.ElapsedSeconds + epochClock.Elapsed.TotalSeconds,
                    History = [.. info.History, epochRecord],
                };
                Checkpoint.Save(checkpointBase, model, optimizer, info);
                onEpoch?.Invoke(epochRecord);
            }
            return new TrainResult(model, info, info.EpochsCompleted == recipe.Epochs);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string Describe(RecipeRecord r) =>
        $"{r.Spec}, {r.Epochs} epochs, seed {r.Seed}, batch {r.BatchSize}, lr {r.LearningRate}, {r.Augmentation}" + (r.Limit is int l ? $", limit {l}" : "");

    /// <summary>
    /// One epoch's batches in its shuffled order, each augmented and standardized when asked for.
    /// On this thread, not ahead on a worker: LibTorch's OpenMP threads spin at every parallel
    /// region waiting for each other, and a .NET worker taking one of the two cores while they do
    /// made training steps 5–20× slower (measured), far more than the milliseconds the
    /// augmentation costs.
    /// </summary>
    private sealed class EpochBatches
    {
        private readonly Dataset data;
        private readonly TrainingRecipe recipe;
        private readonly int epoch;
        private readonly int[] order;
        private int next;

        public EpochBatches(Dataset data, TrainingRecipe recipe, int epoch)
        {
            this.data = data;
            this.recipe = recipe;
            this.epoch = epoch;
            order = Enumerable.Range(0, data.Count).ToArray();
            SeededRandom.For(recipe.Seed, "train-order", epoch, 0).Shuffle(order.AsSpan());
        }

        public (float[] pixels, long[] labels) Next()
        {
            int start = next, count = Math.Min(recipe.BatchSize, order.Length - start);
            if (count <= 0) throw new InvalidOperationException($"epoch {epoch} has no more batches");
            next += count;
            return Make(start, count);
        }

        private (float[], long[]) Make(int start, int count)
        {
            var pixels = new float[count * Dataset.PixelsPerImage];
            var labels = new long[count];
            for (int k = 0; k < count; k++)
            {
                int index = order[start + k];
                var image = pixels.AsSpan(k * Dataset.PixelsPerImage, Dataset.PixelsPerImage);
                Augmentation.Apply(recipe.Augmentation, data.Image(index), recipe.CropPadding,
                    SeededRandom.For(recipe.Seed, "augment", epoch, index), image);
                for (int p = 0; p < image.Length; p++) image[p] = (image[p] - ImageTensors.Mean) / ImageTensors.Std;
                labels[k] = data.Labels[index];
            }
            return (pixels, labels);
        }
    }
}
