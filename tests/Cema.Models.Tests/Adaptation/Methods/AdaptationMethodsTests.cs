using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Tests.Adaptation;
using Cema.Models.Tests.Evaluation;
using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Tests.Adaptation.Methods;

public class AdaptationMethodsTests
{
    private static MethodContext Context(double? rate = null, int session = 0) => new(
        TinyNets.Edge, TinyNets.Foundation, TinySimulation.Settings().Methods, ReplaySeed: 1, RandomUploadSeed: 2, session, rate);

    private static Dictionary<string, float[]> Snapshot(Module module)
    {
        using var scope = torch.NewDisposeScope();
        return module.state_dict().Where(kv => kv.Value.dtype == ScalarType.Float32).ToDictionary(kv => kv.Key, kv => kv.Value.ToArray<float>());
    }

    /// <summary>Random pixels as the cloud receives them.</summary>
    private static byte[] Pixels(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var pixels = new byte[count * Dataset.PixelsPerImage];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)random.NextInt(256);
        return pixels;
    }

    [Fact]
    public void The_factory_builds_every_method_by_name()
    {
        foreach (string name in AdaptationMethods.Names)
        {
            using var method = AdaptationMethods.Create(name, Context(rate: 0.5));
            Assert.Equal(name, method.Name);
            bool edgeOnly = name is AdaptationMethods.Source or AdaptationMethods.BnAdapt;
            Assert.Equal(!edgeOnly, method.HasCloud);
            Assert.Equal(edgeOnly, method.InitialParams is null);
        }
    }

    [Theory]
    [InlineData(AdaptationMethods.Tent)]
    [InlineData(AdaptationMethods.Cema)]
    public void Without_renormalization_the_edge_normalizes_each_batch_with_its_own_statistics(string name)
    {
        // Before any update the device holds the source γ/β, so with batch statistics it predicts exactly as BN-adapt does.
        var settings = TinySimulation.Settings().Methods;
        settings = settings with
        {
            Cloud = settings.Cloud with { Renormalization = false },
            Tent = settings.Tent with { Renormalization = false },
        };
        // One set of weights for every model (TinyNets draws new ones per call).
        using var models = TinySimulation.Models();
        var context = Context() with { NewEdge = models.NewEdge, NewFoundation = models.NewFoundation, Settings = settings };
        using var method = AdaptationMethods.Create(name, context);
        using var bn = AdaptationMethods.Create(AdaptationMethods.BnAdapt, context);
        using var renormalized = AdaptationMethods.Create(name, context with { Settings = TinySimulation.Settings().Methods });
        using var images = TinyNets.Images(16, seed: 3);
        using var shifted = images * 1.5 + 0.7;
        foreach (var batch in new[] { images, shifted })
        {
            using var logits = method.Predict(batch);
            using var expected = bn.Predict(batch);
            Assert.True(logits.allclose(expected, rtol: 1e-5, atol: 1e-5), $"{name} without renormalization differs from BN-adapt");
        }
        // With renormalization the second batch is normalized with the first batch's statistics, so it differs.
        using (renormalized.Predict(images)) { }
        using var renorm = renormalized.Predict(shifted);
        using var batchStats = bn.Predict(shifted);
        Assert.False(renorm.allclose(batchStats, rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void The_factory_names_what_is_wrong()
    {
        var unknown = Assert.Throws<ArgumentException>(() => AdaptationMethods.Create("sar", Context()));
        Assert.Contains("'sar'", unknown.Message);
        Assert.Contains("cema", unknown.Message);
        var noRate = Assert.Throws<ArgumentException>(() => AdaptationMethods.Create(AdaptationMethods.Random, Context()));
        Assert.Contains("RandomUploadRate", noRate.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AdaptationMethods.Create(AdaptationMethods.Random, Context(rate: 1.5)));
    }

    [Fact]
    public void Source_never_changes_its_model()
    {
        using var model = TinyNets.Edge();
        var before = Snapshot(model);
        using var method = new SourceMethod(model);
        for (int i = 0; i < 3; i++)
        {
            using var scope = torch.NewDisposeScope();
            var logits = method.Predict(TinyNets.Images(8, seed: (ulong)i));
            Assert.Empty(method.SelectUploads(logits));
        }
        var after = Snapshot(model);
        foreach (var (key, values) in before) Assert.Equal(values, after[key]);
    }

    [Fact]
    public void Bn_adapt_normalizes_with_the_batch_statistics_not_the_running_ones()
    {
        using var a = TinyNets.Edge();
        using var b = TinyNets.Edge();
        using (var state = new DisposingState(a.state_dict())) b.load_state_dict(state.Value);
        using (torch.no_grad())
        {
            // b's source running statistics are nonsense; BN-adapt must not care.
            foreach (var (_, layer) in NormLayers.Of(b))
            {
                layer.running_mean!.fill_(5);
                layer.running_var!.fill_(0.01);
            }
        }
        var before = Snapshot(b).Where(kv => !kv.Key.Contains("running")).ToDictionary();
        using var bnA = new BatchNormAdaptMethod(a);
        using var bnB = new BatchNormAdaptMethod(b);
        using var scope = torch.NewDisposeScope();
        var images = TinyNets.Images(16, seed: 3);
        var logitsA = bnA.Predict(images);
        var logitsB = bnB.Predict(images);
        Assert.True(logitsA.allclose(logitsB, rtol: 1e-4, atol: 1e-5), "BN-adapt predictions depend on the running statistics");
        Assert.False(logitsA.has_grad_fn);
        Assert.False(EdgeInference.Predict(b, images).allclose(logitsB, rtol: 1e-3, atol: 1e-3), "eval mode with those statistics should differ");
        var after = Snapshot(b);
        foreach (var (key, values) in before) Assert.Equal(values, after[key]);
    }

    private sealed class DisposingState(Dictionary<string, Tensor> value) : IDisposable
    {
        public Dictionary<string, Tensor> Value => value;
        public void Dispose()
        {
            foreach (var t in value.Values) t.Dispose();
        }
    }

    [Theory]
    [InlineData(AdaptationMethods.Tent)]
    [InlineData(AdaptationMethods.Eata)]
    [InlineData(AdaptationMethods.UploadAll)]
    public void A_cloud_step_changes_the_replica_and_the_edge_only_through_an_update(string name)
    {
        using var method = AdaptationMethods.Create(name, Context(rate: 1));
        var initial = method.InitialParams!;
        using var scope = torch.NewDisposeScope();
        var images = TinyNets.Images(8, seed: 4);
        var edgeBefore = method.Predict(images);

        var round = method.ReceiveUploads(Pixels(32, seed: 5), 32);

        Assert.True(round.ParamsChanged);
        Assert.Equal(32, round.Steps[0].NewSamples);
        var replica = method.SnapshotReplica(1);
        Assert.NotEqual(initial.Values.ToArray(), replica.Values.ToArray());
        Assert.True(method.Predict(images).equal(edgeBefore), "the edge changed before any update reached it");

        method.ApplyUpdate(replica);
        Assert.False(method.Predict(images).allclose(edgeBefore), "the update did not reach the edge model");
    }

    [Fact]
    public void The_cloud_steps_once_per_32_new_uploads_and_keeps_the_remainder()
    {
        using var method = AdaptationMethods.Create(AdaptationMethods.Tent, Context());
        Assert.False(method.ReceiveUploads(Pixels(20, seed: 6), 20).ParamsChanged);
        var round = method.ReceiveUploads(Pixels(50, seed: 7), 50);   // 70 pending: two steps, 6 left
        Assert.Equal(2, round.Steps.Count);
        Assert.All(round.Steps, s => Assert.Equal(CloudStepKind.Entropy, s.Kind));
        Assert.False(method.ReceiveUploads(Pixels(25, seed: 8), 25).ParamsChanged);   // 31 pending
        Assert.Single(method.ReceiveUploads(Pixels(1, seed: 9), 1).Steps);
    }

    [Fact]
    public void Cema_replays_once_the_buffer_is_full_enough_and_steps_on_replay_alone_after_a_batch_without_a_step()
    {
        var replay = TinySimulation.SmallReplay;   // replay from 32 buffered on, 16 per step, replay-only steps of 16
        using var method = AdaptationMethods.Create(AdaptationMethods.UploadAll, Context());

        var first = method.ReceiveUploads(Pixels(32, seed: 10), 32);   // 32 buffered: replay starts
        Assert.Equal(new[] { (CloudStepKind.Distillation, 32, replay.ReplayedPerStep) }, first.Steps.Select(s => (s.Kind, s.NewSamples, s.ReplayedSamples)));

        var second = method.ReceiveUploads(Pixels(10, seed: 11), 10);  // no full step, 42 > 32 buffered: replay-only
        Assert.Equal(new[] { (CloudStepKind.ReplayOnly, 0, replay.ReplayOnlyBatch) }, second.Steps.Select(s => (s.Kind, s.NewSamples, s.ReplayedSamples)));

        var none = AdaptationMethods.Create(AdaptationMethods.UploadAll, Context());
        using (none) Assert.False(none.ReceiveUploads(Pixels(10, seed: 12), 10).ParamsChanged);   // 10 buffered: nothing to replay yet
    }

    [Fact]
    public void Cema_and_eata_count_their_selections()
    {
        foreach (string name in new[] { AdaptationMethods.Cema, AdaptationMethods.Eata })
        {
            using var method = AdaptationMethods.Create(name, Context());
            using var scope = torch.NewDisposeScope();
            long kept = 0;
            for (int i = 0; i < 3; i++) kept += method.SelectUploads(method.Predict(TinyNets.Images(16, seed: (ulong)(20 + i)))).Length;
            var totals = method.SelectionTotals!.Value;
            Assert.Equal(48, totals.Total);
            Assert.Equal(kept, totals.Kept);
        }
    }

    [Fact]
    public void Eata_selects_with_a_fixed_bound_and_no_lower_one()
    {
        var eata = TinySimulation.Settings().Methods.EataSelector;
        Assert.False(eata.DynamicThreshold);
        Assert.False(eata.ExcludeLowInformative);
        Assert.True(eata.ExcludeUnreliable && eata.ExcludeRedundant);
    }

    [Fact]
    public void Random_upload_hits_its_rate_within_binomial_tolerance()
    {
        const int n = 20_000;
        const double rate = 0.23;
        var policy = new UploadRandom(rate, SeededRandom.For(7, "random-upload", 0, 0));
        using var logits = torch.zeros(n, 10);
        var kept = policy.Select(logits);
        double sd = Math.Sqrt(n * rate * (1 - rate));
        Assert.InRange(kept.Length, n * rate - 4 * sd, n * rate + 4 * sd);
        Assert.Equal(kept.OrderBy(k => k), kept);
        Assert.Equal(kept.Length, kept.Distinct().Count());

        // The same seed draws the same subset.
        var again = new UploadRandom(rate, SeededRandom.For(7, "random-upload", 0, 0)).Select(logits);
        Assert.Equal(kept, again);
    }

    [Fact]
    public void Each_session_of_random_draws_its_own_coins()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.zeros(256, 10);
        using var first = AdaptationMethods.Create(AdaptationMethods.Random, Context(rate: 0.5, session: 0));
        using var second = AdaptationMethods.Create(AdaptationMethods.Random, Context(rate: 0.5, session: 1));
        Assert.NotEqual(first.SelectUploads(logits), second.SelectUploads(logits));
    }
}

/// <summary>Counts live tensor handles, which are process-wide: runs alone, after the parallel tests.</summary>
[Collection(ProcessWideStateCollection.Name)]
public class AdaptationMethodsLeakTests
{
    private static MethodContext Context(double? rate = null) => new(
        TinyNets.Edge, TinyNets.Foundation, TinySimulation.Settings().Methods, ReplaySeed: 1, RandomUploadSeed: 2, 0, rate);

    private static byte[] Pixels(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        var pixels = new byte[count * Dataset.PixelsPerImage];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)random.NextInt(256);
        return pixels;
    }

    [Fact]
    public void Methods_leave_no_tensor_behind()
    {
        // Warm up whatever LibTorch allocates once, then count live handles around a full session of every method.
        foreach (string name in AdaptationMethods.Names) Session(name);
        long before = torch.live_tensors;
        foreach (string name in AdaptationMethods.Names) Session(name);
        Assert.Equal(before, torch.live_tensors);

        void Session(string name)
        {
            using var method = AdaptationMethods.Create(name, Context(rate: 0.5));
            using var scope = torch.NewDisposeScope();
            var logits = method.Predict(TinyNets.Images(16, seed: 30));
            var kept = method.SelectUploads(logits);
            if (!method.HasCloud) return;
            method.ReceiveUploads(Pixels(40, seed: 31), 40);
            method.ApplyUpdate(method.SnapshotReplica(1));
        }
    }
}
