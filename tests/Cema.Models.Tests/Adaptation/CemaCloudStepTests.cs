using Cema.Models.Adaptation;
using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Tests.Adaptation;

public class CemaCloudStepTests
{
    /// <summary>Every parameter and buffer of <paramref name="module"/> by name, copied out as doubles (int64 counters too).</summary>
    private static Dictionary<string, double[]> Snapshot(Module module)
    {
        using var scope = torch.NewDisposeScope();
        return module.state_dict().ToDictionary(
            kv => kv.Key,
            kv => kv.Value.dtype == ScalarType.Int64 ? kv.Value.ToArray<long>().Select(v => (double)v).ToArray() : kv.Value.ToArray<float>().Select(v => (double)v).ToArray());
    }

    // The official rates move γ ≈ 1 by less than float32's resolution now and then; these tests are about which
    // tensors move, not how far, so they step with rates large enough that every trained tensor visibly does.
    private static readonly CemaCloudSettings Visible = OfficialSettings.Cloud with { FoundationLearningRate = 0.05, EdgeLearningRate = 0.05 };

    private static bool IsAffine(string key) => key.EndsWith(".weight") || key.EndsWith(".bias");

    private static HashSet<string> NormPrefixes(Module module) => NormLayers.Of(module).Select(l => l.name + ".").ToHashSet();

    private static bool IsNorm(string key, HashSet<string> normPrefixes) => normPrefixes.Any(p => key.StartsWith(p) && !key[p.Length..].Contains('.'));

    /// <summary>Asserts what may move: norm γ/β and running statistics (and the batch counter); everything else bit-identical.</summary>
    private static void AssertOnlyNormStateChanged(Module module, Dictionary<string, double[]> before, string model)
    {
        var after = Snapshot(module);
        var norms = NormPrefixes(module);
        int affineChanged = 0, affineTotal = 0;
        foreach (var (key, old) in before)
        {
            bool changed = !old.SequenceEqual(after[key]);
            if (!IsNorm(key, norms))
            {
                Assert.False(changed, $"{model}: {key} is not a norm parameter but changed");
            }
            else if (IsAffine(key))
            {
                affineTotal++;
                if (changed) affineChanged++;
            }
            else if (key.EndsWith(".running_mean") || key.EndsWith(".running_var"))
            {
                Assert.True(changed, $"{model}: {key} did not follow the batch");
            }
        }
        Assert.True(affineTotal > 0);
        Assert.True(affineChanged == affineTotal, $"{model}: only {affineChanged} of {affineTotal} norm affine tensors changed");
    }

    [Fact]
    public void A_step_changes_only_norm_affine_parameters_and_running_statistics()
    {
        using var foundation = TinyNets.Foundation();
        using var edge = TinyNets.Edge();
        using var step = new CemaCloudStep(foundation, edge, Visible);
        var foundationBefore = Snapshot(foundation);
        var edgeBefore = Snapshot(edge);

        using var scope = torch.NewDisposeScope();
        var result = step.Step(TinyNets.Images(16, seed: 1), TinyNets.Images(8, seed: 2));

        AssertOnlyNormStateChanged(foundation, foundationBefore, "foundation");
        AssertOnlyNormStateChanged(edge, edgeBefore, "edge replica");
        Assert.Equal(16, result.NewSamples);
        Assert.Equal(8, result.ReplayedSamples);
        Assert.NotNull(result.FoundationLoss);
        Assert.True(double.IsFinite(result.FoundationLoss!.Value) && result.FoundationLoss > 0);
        var s = OfficialSettings.Cloud;
        Assert.Equal(s.Alpha * result.EdgeEntropyLoss + s.Beta * result.EdgeKlLoss + s.Gamma * result.EdgeCrossEntropyLoss, result.EdgeTotalLoss, 4);
        Assert.True(result.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public void Only_norm_affine_parameters_require_grad()
    {
        using var foundation = TinyNets.Foundation();
        using var edge = TinyNets.Edge();
        using var step = new CemaCloudStep(foundation, edge, OfficialSettings.Cloud);
        foreach (var model in new Module[] { foundation, edge })
        {
            var norms = NormPrefixes(model);
            foreach (var (name, p) in model.named_parameters())
                Assert.True(p.requires_grad == (IsNorm(name, norms) && IsAffine(name)), $"{name}: requires_grad {p.requires_grad}");
            Assert.All(NormLayers.Of(model), l => Assert.Equal(BatchNorm2d.NormalizationMode.TestTimeRenorm, l.layer.mode));
        }
    }

    [Fact]
    public void Running_statistics_start_from_the_first_target_batch()
    {
        using var foundation = TinyNets.Foundation();
        using var edge = TinyNets.Edge();
        using var step = new CemaCloudStep(foundation, edge, OfficialSettings.Cloud);
        using var scope = torch.NewDisposeScope();
        var images = TinyNets.Images(8, seed: 3);
        step.Step(images, null);

        // The stem's norm sees conv1(x): its running mean is that batch's mean, moved by momentum toward itself, i.e. the same.
        var (_, stem) = NormLayers.Of(edge).First();
        var conv1 = edge.named_modules().First(m => m.name == "conv1").module;
        using (torch.no_grad())
        {
            var batchMean = conv1.call(images).mean(new long[] { 0, 2, 3 });
            Assert.True(batchMean.allclose(stem.running_mean!, rtol: 1e-4, atol: 1e-5), "the edge's running mean is not the first batch's mean");
        }
    }

    [Fact]
    public void A_replay_only_step_trains_the_edge_replica_and_leaves_the_foundation_alone()
    {
        using var foundation = TinyNets.Foundation();
        using var edge = TinyNets.Edge();
        using var step = new CemaCloudStep(foundation, edge, Visible);
        using var scope = torch.NewDisposeScope();
        step.Step(TinyNets.Images(8, seed: 4), null);
        var foundationBefore = Snapshot(foundation);
        var edgeBefore = Snapshot(edge);

        var result = step.ReplayOnlyStep(TinyNets.Images(12, seed: 5));

        var foundationAfter = Snapshot(foundation);
        foreach (var (key, old) in foundationBefore) Assert.True(old.SequenceEqual(foundationAfter[key]), $"foundation {key} changed in a replay-only step");
        AssertOnlyNormStateChanged(edge, edgeBefore, "edge replica");
        Assert.Null(result.FoundationLoss);
        Assert.Equal(0, result.NewSamples);
        Assert.Equal(12, result.ReplayedSamples);
    }

    [Fact]
    public void A_step_leaves_no_tensor_in_the_callers_scope()
    {
        using var foundation = TinyNets.Foundation();
        using var edge = TinyNets.Edge();
        using var step = new CemaCloudStep(foundation, edge, OfficialSettings.Cloud);
        using var images = TinyNets.Images(8, seed: 6);
        using var replay = TinyNets.Images(8, seed: 7);
        using var scope = torch.NewDisposeScope();
        step.Step(images, replay);
        step.ReplayOnlyStep(replay);
        Assert.Equal(0, scope.Count);
    }
}
