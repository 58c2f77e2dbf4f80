using System.Diagnostics;
using Cema.Torch;
using Cema.Torch.Modules;
using Cema.Torch.Optim;

namespace Cema.Models.Adaptation;

/// <summary>
/// The cloud's adaptation of one foundation model and one edge replica (paper §3.2, official
/// <c>CEMA.infer</c>): the foundation model minimizes entropy on the new uploads, then teaches the edge
/// replica by distillation on the new uploads plus replayed ones. Only the norm layers' γ and β are
/// trained (each model has its own SGD); their running statistics follow the batches through
/// test-time batch renormalization. The models stay the caller's (it disposes them); this object
/// owns its two optimizers and their momentum. Keep one instance per model pair for its lifetime:
/// a new instance starts the momentum afresh.
/// </summary>
public sealed class CemaCloudStep : IDisposable
{
    private readonly SGD foundationOptimizer;
    private readonly SGD edgeOptimizer;

    public CemaCloudStep(Module foundation, Module edgeReplica, CemaCloudSettings settings)
    {
        Foundation = foundation ?? throw new ArgumentNullException(nameof(foundation));
        EdgeReplica = edgeReplica ?? throw new ArgumentNullException(nameof(edgeReplica));
        Settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        NormLayers.PrepareForAdaptation(foundation, settings.Renormalization);
        NormLayers.PrepareForAdaptation(edgeReplica, settings.Renormalization);
        foundationOptimizer = torch.optim.SGD(NormLayers.AffineParameters(foundation), lr: settings.FoundationLearningRate, momentum: settings.Momentum);
        edgeOptimizer = torch.optim.SGD(NormLayers.AffineParameters(edgeReplica), lr: settings.EdgeLearningRate, momentum: settings.Momentum);
    }

    public Module Foundation { get; }
    public Module EdgeReplica { get; }
    public CemaCloudSettings Settings { get; }

    /// <summary>
    /// One step on <paramref name="newSamples"/> (N×…, the fresh uploads): foundation entropy step on
    /// them alone, then an edge replica step on them concatenated with <paramref name="replaySamples"/>
    /// (when given) against the updated foundation's logits.
    /// </summary>
    public CloudStepResult Step(Tensor newSamples, Tensor? replaySamples)
    {
        ArgumentNullException.ThrowIfNull(newSamples);
        var clock = Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        double foundationLoss = AdaptFoundation(newSamples);
        var batch = replaySamples is null ? newSamples : torch.cat(new[] { newSamples, replaySamples });
        var losses = DistillIntoEdge(batch);
        int replayed = replaySamples is null ? 0 : (int)replaySamples.shape[0];
        return Result(foundationLoss, losses, (int)newSamples.shape[0], replayed, clock.Elapsed);
    }

    /// <summary>
    /// An edge replica step on replayed samples only, for an edge batch that brought too few uploads for
    /// a full step: the foundation model only teaches (no update of it).
    /// </summary>
    public CloudStepResult ReplayOnlyStep(Tensor samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var clock = Stopwatch.StartNew();
        using var scope = torch.NewDisposeScope();
        var losses = DistillIntoEdge(samples);
        return Result(null, losses, 0, (int)samples.shape[0], clock.Elapsed);
    }

    // Step (1): entropy minimization of the foundation model, its renormalization updating running statistics.
    private double AdaptFoundation(Tensor samples)
    {
        Foundation.train();
        foundationOptimizer.zero_grad();
        var logits = Foundation.call(samples);
        double e0 = Entropy.Margin((int)logits.shape[1], Settings.E0Fraction);
        var loss = Losses.WeightedEntropy(logits, e0);
        loss.backward();
        foundationOptimizer.step();
        return loss.item<double>();
    }

    // Steps (2) and (3): teacher logits from the foundation in eval mode, then the edge replica's distillation step.
    private DistillationLoss DistillIntoEdge(Tensor samples)
    {
        Foundation.eval();
        Tensor teacherLogits;
        using (torch.no_grad()) teacherLogits = Foundation.call(samples);

        EdgeReplica.train();
        edgeOptimizer.zero_grad();
        var edgeLogits = EdgeReplica.call(samples);
        var losses = Losses.Distillation(edgeLogits, teacherLogits, Settings);
        losses.Total.backward();
        edgeOptimizer.step();
        return losses;
    }

    private static CloudStepResult Result(double? foundationLoss, DistillationLoss losses, int newSamples, int replayed, TimeSpan elapsed) => new(
        foundationLoss,
        losses.Entropy.item<double>(),
        losses.Kl.item<double>(),
        losses.CrossEntropy.item<double>(),
        losses.Total.item<double>(),
        newSamples,
        replayed,
        elapsed);

    /// <summary>Both optimizers' momentum now (a copy), e.g. to keep with a session that another step object serves next.</summary>
    public CloudOptimizerState ExportOptimizerState() =>
        new(Momentum(edgeOptimizer, EdgeReplica), Momentum(foundationOptimizer, Foundation));

    /// <summary>
    /// Replaces both optimizers' momentum with <paramref name="state"/> (from <see cref="ExportOptimizerState"/> of a step
    /// over models of the same layout); null starts both afresh, as a new step object does.
    /// </summary>
    public void ImportOptimizerState(CloudOptimizerState? state)
    {
        LoadMomentum(edgeOptimizer, EdgeReplica, state?.Edge, "edge");
        LoadMomentum(foundationOptimizer, Foundation, state?.Foundation, "foundation");
    }

    private static float[] Momentum(SGD optimizer, Module model)
    {
        var parameters = NormLayers.AffineParameters(model).ToArray();
        var values = new float[parameters.Sum(p => p.numel())];
        using var scope = torch.NewDisposeScope();
        var state = optimizer.state_dict();
        int offset = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            int n = (int)parameters[i].numel();
            if (state.TryGetValue($"{i}.momentum_buffer", out var buffer)) buffer.to(ScalarType.Float32).CopyTo<float>(values.AsSpan(offset, n));
            offset += n;
        }
        return values;
    }

    private static void LoadMomentum(SGD optimizer, Module model, float[]? values, string which)
    {
        var parameters = NormLayers.AffineParameters(model).ToArray();
        using var scope = torch.NewDisposeScope();
        var state = new Dictionary<string, Tensor>();
        if (values is not null)
        {
            long expected = parameters.Sum(p => p.numel());
            if (values.Length != expected)
                throw new ArgumentException($"the {which} momentum holds {values.Length} values, its optimizer's parameters {expected}", nameof(values));
            int offset = 0;
            for (int i = 0; i < parameters.Length; i++)
            {
                int n = (int)parameters[i].numel();
                state[$"{i}.momentum_buffer"] = torch.tensor<float>(values.AsSpan(offset, n), n).view(parameters[i].shape);
                offset += n;
            }
        }
        optimizer.load_state_dict(state);
    }

    public void Dispose()
    {
        foundationOptimizer.Dispose();
        edgeOptimizer.Dispose();
    }
}
