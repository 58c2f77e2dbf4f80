using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation;
using Cema.Torch;

namespace Cema.Models.Tests.Evaluation;

/// <summary>Every method over the tiny stream, twice with the same seeds, each edge prediction watched for a graph.</summary>
public sealed class AllMethodsRun : IDisposable
{
    public AllMethodsRun()
    {
        Models = TinySimulation.Models();
        var simulator = new OnlineSimulator(Models, Settings);
        First = simulator.Run(TinySimulation.Stream(), AdaptationMethods.Names);
        // The same methods again, one by one, each wrapped in a watch on its edge predictions, with the same rate for random.
        var watched = new List<MethodResult>();
        foreach (var m in First.Methods)
        {
            var flags = Graphs[m.Name] = new List<bool>();
            watched.Add(simulator.RunMethod(m.Name, c => new GraphWatch(AdaptationMethods.Create(m.Name, c), flags), TinySimulation.Stream(), m.RandomUploadRate / 100));
        }
        Second = First with { Methods = watched };
        using var edge = Models.NewEdge();
        NormFloats = NormParamsLayout.Of(edge).Count;
    }

    public SimulationSettings Settings { get; } = TinySimulation.Settings();
    public SimulationModels Models { get; }

    /// <summary>Through <see cref="OnlineSimulator.Run"/>.</summary>
    public SimulationResult First { get; }

    /// <summary>Through <see cref="OnlineSimulator.RunMethod(string, Func{MethodContext, IAdaptationMethod}, ShiftStream, double?, Action{SimulationProgress}?, int, int)"/>, method by method.</summary>
    public SimulationResult Second { get; }

    public Dictionary<string, List<bool>> Graphs { get; } = new();
    public int NormFloats { get; }

    public void Dispose() => Models.Dispose();
}

public class OnlineSimulatorTests(AllMethodsRun all) : IClassFixture<AllMethodsRun>
{
    private const int Samples = TinySimulation.Limit * 2;
    private const int Batches = Samples / TinySimulation.BatchSize;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_batch_is_predicted_with_the_version_the_edge_holds_after_the_update_delay(int delay)
    {
        using var models = TinySimulation.Models();
        var simulator = new OnlineSimulator(models, TinySimulation.Settings(updateDelay: delay));
        var held = new List<long>();
        var sessions = new List<int>();

        var result = simulator.RunMethod("stub", c => new VersionStub(c.Session, held, sessions), TinySimulation.Stream(ShiftMode.Continual));

        // The update made while handling batch t is version t + 1 and is applied before batch t + K:
        // batch b runs with version b − K + 1, the first K batches with the initial version 0.
        var expected = Enumerable.Range(0, Batches).Select(b => (long)Math.Max(0, b - delay + 1)).ToArray();
        Assert.Equal(expected, held);
        Assert.Equal(Batches, result.UpdatesSent);
        Assert.Equal(Batches - delay, result.UpdatesApplied);
        Assert.Equal(new[] { 0 }, sessions);
    }

    [Fact]
    public void Per_domain_starts_a_new_session_at_each_segment_and_drops_updates_in_flight()
    {
        using var models = TinySimulation.Models();
        var simulator = new OnlineSimulator(models, TinySimulation.Settings(updateDelay: 2));
        var held = new List<long>();
        var sessions = new List<int>();

        var result = simulator.RunMethod("stub", c => new VersionStub(c.Session, held, sessions), TinySimulation.Stream(ShiftMode.PerDomain));

        Assert.Equal(new[] { 0, 1 }, sessions);
        Assert.Equal(2, result.Sessions);
        int perSegment = Batches / 2;
        var segment = Enumerable.Range(0, perSegment).Select(b => (long)Math.Max(0, b - 1)).ToArray();
        Assert.Equal(segment.Concat(segment), held);
        Assert.Equal(2 * (perSegment - 2), result.UpdatesApplied);
    }

    [Fact]
    public void Source_matches_the_untouched_source_model_and_moves_nothing()
    {
        using var models = TinySimulation.Models();
        var simulator = new OnlineSimulator(models, TinySimulation.Settings());
        var stream = TinySimulation.Stream();

        var result = simulator.RunMethod(AdaptationMethods.Source, stream);

        // The same predictions straight from a fresh copy in eval mode, segment by segment.
        using var model = models.NewEdge();
        var correct = new long[2];
        foreach (var batch in stream)
        {
            using var scope = torch.NewDisposeScope();
            var predicted = EdgeInference.Predict(model, ImageTensors.ToTensor(batch)).argmax(1).ToArray<long>();
            correct[batch.SegmentIndex] += predicted.Where((p, i) => p == batch.Labels[i]).Count();
        }
        Assert.Equal(correct, result.Segments.Select(s => s.Correct));
        Assert.Equal(0, result.Uploads);
        Assert.Equal(0, result.UplinkBytes);
        Assert.Equal(0, result.DownlinkBytes);
        Assert.Equal(0, result.CloudSteps);
        Assert.Equal(0, result.UpdatesSent);
    }

    [Fact]
    public void Random_uploads_at_its_rate_within_binomial_tolerance()
    {
        using var models = TinySimulation.Models();
        var simulator = new OnlineSimulator(models, TinySimulation.Settings());
        const double rate = 0.3;

        var result = simulator.RunMethod(AdaptationMethods.Random, TinySimulation.Stream(), randomUploadRate: rate);

        double sd = Math.Sqrt(Samples * rate * (1 - rate));
        Assert.InRange(result.Uploads, Samples * rate - 4 * sd, Samples * rate + 4 * sd);
        Assert.Equal(30.0, result.RandomUploadRate);
        Assert.Null(result.Selection);
    }

    [Fact]
    public void A_method_whose_edge_builds_a_graph_is_refused()
    {
        using var models = TinySimulation.Models();
        var simulator = new OnlineSimulator(models, TinySimulation.Settings());
        var error = Assert.Throws<InvalidOperationException>(() => simulator.RunMethod("graph", _ => new GraphBuilder(), TinySimulation.Stream()));
        Assert.Contains("autograd graph", error.Message);
    }

    private sealed class GraphBuilder : IAdaptationMethod
    {
        private readonly Tensor weight = torch.ones(1).requires_grad_();
        public string Name => "graph";
        public Tensor Predict(Tensor images) => torch.zeros(images.shape[0], 10) * weight;
        public long[] SelectUploads(Tensor logits) => Array.Empty<long>();
        public SelectionCounts? SelectionTotals => null;
        public void ApplyUpdate(NormParams update) { }
        public bool HasCloud => false;
        public NormParams? InitialParams => null;
        public CloudRound ReceiveUploads(ReadOnlySpan<byte> pixels, int count) => CloudRound.None;
        public NormParams SnapshotReplica(long version) => throw new NotSupportedException();
        public void Dispose() => weight.Dispose();
    }

    [Fact]
    public void Upload_all_uploads_every_sample_and_sends_an_update_per_stepping_batch()
    {
        var result = all.First.Method(AdaptationMethods.UploadAll);

        Assert.Equal(Samples, result.Samples);
        Assert.Equal(Samples, result.Uploads);
        Assert.Equal(100.0, result.UploadRate);
        Assert.All(result.Segments, s => Assert.Equal(100.0, s.UploadRate));
        // Per session 4 batches of 16 uploads: a full step after batches 1 and 3; after batch 2 (no full step,
        // 48 > 32 buffered) a replay-only step; after batch 0 nothing (16 buffered). Each stepping batch sends one update.
        // One replay-only step per session also shows the reset emptied the replay buffer: had it kept the first
        // segment's 64 samples, the second segment's batch 0 would have earned one too.
        Assert.Equal(2 * 2, result.CloudSteps - result.ReplayOnlySteps);
        Assert.Equal(2 * 1, result.ReplayOnlySteps);
        Assert.Equal(2 * 3, result.UpdatesSent);
        Assert.Equal(2 * 2, result.UpdatesApplied);   // the update after each segment's last batch meets the reset
        Assert.True(result.DownlinkBytes > 0);
    }

    [Fact]
    public void Cema_uploads_what_its_selector_keeps()
    {
        var result = all.First.Method(AdaptationMethods.Cema);

        Assert.NotNull(result.Selection);
        var counts = result.Selection!.Value;
        Assert.Equal(Samples, counts.Total);
        Assert.Equal(result.Uploads, counts.Kept);
        Assert.Equal(counts.Total, counts.Unreliable + counts.LowInformative + counts.Redundant + counts.Kept);
        Assert.InRange(result.Uploads, 1, Samples - 1);   // these settings keep some and drop some
        Assert.Equal(2, result.Sessions);
    }

    [Fact]
    public void Run_gives_random_the_rate_cema_measured()
    {
        Assert.Equal(all.First.Method(AdaptationMethods.Cema).UploadRate, all.First.Method(AdaptationMethods.Random).RandomUploadRate!.Value, 9);
        Assert.All(all.First.Methods.Where(m => m.Name != AdaptationMethods.Random), m => Assert.Null(m.RandomUploadRate));
    }

    [Fact]
    public void Run_puts_cema_first_when_random_needs_its_rate_and_reports_only_what_was_asked()
    {
        var result = new OnlineSimulator(all.Models, all.Settings).Run(TinySimulation.Stream(), new[] { AdaptationMethods.Random });
        Assert.Equal(new[] { AdaptationMethods.Random }, result.Methods.Select(m => m.Name));
        Assert.Equal(all.First.Method(AdaptationMethods.Random).Uploads, result.Methods[0].Uploads);
    }

    [Fact]
    public void The_edge_never_records_an_autograd_graph()
    {
        Assert.Equal(AdaptationMethods.Names, all.Graphs.Keys);
        foreach (var (name, graphs) in all.Graphs)
        {
            Assert.Equal(Batches, graphs.Count);
            Assert.All(graphs, g => Assert.False(g, $"{name}: an edge prediction carries an autograd graph"));
        }
    }

    [Fact]
    public void All_methods_count_uplink_as_pixels_plus_header_and_downlink_in_every_encoding()
    {
        var result = all.First;
        Assert.Equal(AdaptationMethods.Names, result.Methods.Select(m => m.Name));
        int floats = all.NormFloats;
        foreach (var m in result.Methods)
        {
            Assert.Equal(Samples, m.Samples);
            Assert.Equal(m.Uploads * (784L + all.Settings.UploadHeaderBytes), m.UplinkBytes);
            Assert.Equal(m.Downlink.Fp16Delta, m.DownlinkBytes);
            Assert.Equal(m.UpdatesSent * (40L + 4 * floats), m.Downlink.Fp32);
            Assert.Equal(m.UpdatesSent * (40L + 2 * floats), m.Downlink.Fp16);
            Assert.True(m.Downlink.Fp16Delta <= m.Downlink.Fp16 + m.UpdatesSent * ((floats + 7) / 8));
        }
        Assert.Equal(0, result.Method(AdaptationMethods.Source).Uploads);
        Assert.Equal(0, result.Method(AdaptationMethods.BnAdapt).Uploads);
        Assert.Equal(0, result.Method(AdaptationMethods.BnAdapt).CloudSteps);
        Assert.Equal(Samples, result.Method(AdaptationMethods.Tent).Uploads);
        Assert.Equal(Samples / 32, result.Method(AdaptationMethods.Tent).CloudSteps);
        Assert.True(result.Method(AdaptationMethods.Eata).Selection is not null);
    }

    [Fact]
    public void Two_runs_with_the_same_seeds_give_identical_results()
    {
        Assert.Equal(WithoutTimes(all.First), WithoutTimes(all.Second));
    }

    private static string WithoutTimes(SimulationResult result) => SimulationResultJson.Serialize(result with
    {
        Elapsed = TimeSpan.Zero,
        Methods = result.Methods.Select(m => m with { Timing = MethodTiming.Zero }).ToArray(),
    });

    [Fact]
    public void Progress_reports_every_batch_up_to_the_total()
    {
        using var models = TinySimulation.Models();
        var simulator = new OnlineSimulator(models, TinySimulation.Settings());
        var reports = new List<SimulationProgress>();

        simulator.Run(TinySimulation.Stream(), new[] { AdaptationMethods.Source, AdaptationMethods.BnAdapt }, reports.Add);

        Assert.Equal(2 * Batches, reports.Count);
        var source = reports.Where(r => r.Method == AdaptationMethods.Source).ToArray();
        Assert.Equal(Enumerable.Range(1, Batches).Select(b => (long)b * TinySimulation.BatchSize), source.Select(r => r.SamplesProcessed));
        Assert.All(reports, r => Assert.Equal(Samples, r.TotalSamples));
        Assert.All(reports, r => Assert.Equal(2, r.MethodCount));
        Assert.Equal(new[] { 0, 1 }, reports.Select(r => r.MethodIndex).Distinct());
        Assert.Equal("contrast", reports[^1].Corruption);
        Assert.Equal(1, reports[^1].SegmentIndex);
    }

    [Fact]
    public void The_downlink_encoding_is_what_the_edge_decodes()
    {
        using var models = TinySimulation.Models();
        foreach (var encoding in new[] { NormParamsEncoding.Fp32, NormParamsEncoding.Fp16 })
        {
            var simulator = new OnlineSimulator(models, TinySimulation.Settings(encoding: encoding));
            var result = simulator.RunMethod(AdaptationMethods.Tent, TinySimulation.Stream());
            Assert.Equal(result.Downlink.For(encoding), result.DownlinkBytes);
        }
    }
}
