using System.Diagnostics;
using Cema.Actors.Distiller;
using Cema.Actors.Configuration;
using Cema.Actors.Edge;
using Cema.Actors.Embedded;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Models.Networks;
using Cema.Torch;
using Xunit.Abstractions;

namespace Cema.Actors.Tests.Embedded;

/// <summary>
/// Issue #5's equivalence: the actor pipeline (EdgeActor, CloudCoordinator, one DistillerActor, ReplayActor,
/// parameters over the topic mediator) with one edge that waits for the cloud's answer to each batch (update
/// delay 1) reaches the offline simulator's CEMA accuracy on the same stream, models and seeds.
/// </summary>
public sealed class SimulatorEquivalenceTests(ITestOutputHelper output) : ActorTestKit
{
    // About 40 s on two cores beside other work (each path runs 19 CEMA steps of the shipped networks), 2.5-3 min under heavy load.
    [Fact]
    public async Task OneEdgeWithUpdateDelayOneReachesTheSimulatorsAccuracyOnTheSameStreamAndSeeds()
    {
        string models = Path.Combine(ReferenceConfig.RepositoryRoot, "models");
        var (edge, _) = ModelStore.Load(models, "edge");
        using var __ = edge;
        var (foundation, _) = ModelStore.Load(models, "foundation");
        using var ___ = foundation;

        // Severity 5, four corruptions of 320 images (20 edge batches of 64), continual: enough uploads for
        // replay (from 256 buffered on) and replay-only steps. The selector is pinned (E_min 0.35, no redundancy
        // rule) so that about a third of the frames go up: the cloud has work, and some batches send too few
        // for a step, so the cloud also replays alone. Every other selector setting is CEMA's default.
        var segments = new[] { "gaussian_noise", "defocus_blur", "fog", "jpeg_compression" }.Select(c => new ShiftSegment(c, 5)).ToArray();
        var stream = new ShiftStream(FashionMnist.LoadTest(), segments, ShiftMode.Continual, ReferenceConfig.Value.GetInt("cema.eval.simulation.edge-batch-size"), seed: 3, limit: 320);
        var reference = SimulationSettings.FromConfig(ReferenceConfig.Value);
        var selector = reference.Methods.Selector with { ExcludeRedundant = false, ExcludeLowInformative = true, EMinFraction = 0.35 };
        var simulation = reference with { UpdateDelay = 1, Methods = reference.Methods with { Selector = selector } };

        var clock = Stopwatch.StartNew();
        MethodResult simulated;
        using (var simulationModels = SimulationModels.FromResNets(edge, foundation))
            simulated = new OnlineSimulator(simulationModels, simulation).RunMethod(AdaptationMethods.Cema, stream);
        var simulatorTime = clock.Elapsed;

        clock.Restart();
        var distillerModels = new DistillerModels(edge.Spec, Detached(edge), foundation.Spec, Detached(foundation));
        var settings = new EmbeddedRunSettings(
            ReferenceConfig.Coordinator with
            {
                Replay = simulation.Methods.Replay, Cloud = simulation.Methods.Cloud, Seed = simulation.Seeds.Replay, SessionPerGroup = false,
            },
            ReferenceConfig.ReplayActor with { Buffer = simulation.Methods.Replay },
            new DistillerSettings(1),
            new EdgeSettings("edge", "edge", selector, UpdateDelay: simulation.UpdateDelay, MeasureSource: true)
            {
                // The device normalizes as the cloud does (cema.adapt.cloud.renormalization), as EdgeSettings.FromConfig reads it.
                Renormalization = simulation.Methods.Cloud.Renormalization,
            });
        var run = await EmbeddedRun.StartAsync(Sys, settings, distillerModels, [new EmbeddedEdgeStream("edge", stream.ToList())], window: 2);
        var result = await run.RunToEndAsync(TimeSpan.FromMilliseconds(200));
        var actorTime = clock.Elapsed;

        var stats = Assert.Single(result.Edges).Stats;
        var session = Assert.Single(result.Cloud.Sessions);
        double actorAccuracy = 100 * stats.Accuracy;
        output.WriteLine($"simulator: accuracy {simulated.OverallAccuracy:F3}%, uploads {simulated.Uploads}, steps {simulated.CloudSteps} " +
            $"({simulated.ReplayOnlySteps} replay-only), {simulatorTime.TotalSeconds:F1} s");
        output.WriteLine($"actors:    accuracy {actorAccuracy:F3}%, uploads {stats.SamplesUploaded}, steps {session.JobsCompleted} " +
            $"({session.ReplayOnlySteps} replay-only), {actorTime.TotalSeconds:F1} s; Source {100 * stats.SourceAccuracy:F3}%");

        Assert.Equal(stream.ImagesPerSegment * segments.Length, stats.FramesSeen);
        Assert.True(simulated.CloudSteps >= 10 && simulated.ReplayOnlySteps >= 1, $"the stream should exercise the cloud: {simulated.CloudSteps} steps, {simulated.ReplayOnlySteps} replay-only");
        Assert.InRange(actorAccuracy - simulated.OverallAccuracy, -0.5, 0.5);
        // Same selections and the same cloud work, step for step.
        Assert.Equal(simulated.Uploads, stats.SamplesUploaded);
        Assert.Equal(simulated.CloudSteps, session.JobsCompleted);
        Assert.Equal(simulated.ReplayOnlySteps, session.ReplayOnlySteps);
        Assert.Equal(0, session.ReplayOnlyCoalesced);
        foreach (var t in distillerModels.EdgeState.Values.Concat(distillerModels.FoundationState.Values)) t.Dispose();
    }

    private static Dictionary<string, Tensor> Detached(ResNet model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
}
