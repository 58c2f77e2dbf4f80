using Cema.Actors.Cloud;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Distiller;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;
using Google.Protobuf;
using Proto = Cema.Actors.Cluster.Wire.Proto;

namespace Cema.Actors.Tests.Cluster;

public sealed class WireMessagesTests
{
    private static ClusterLayouts Layouts() => ClusterLayouts.Of(TinyNetworks.Edge, TinyNetworks.Foundation);

    [Fact]
    public void AnUploadCrossesWithItsShapeAndVersion()
    {
        var upload = new Upload("e1", "g", 7, TinyNetworks.Images(3, 1), 3);
        var back = WireMessages.FromWire(Proto.Upload.Parser.ParseFrom(WireMessages.ToWire(upload).ToByteArray()));
        Assert.Equal((upload.Edge, upload.Group, upload.Version, upload.Count), (back.Edge, back.Group, back.Version, back.Count));
        Assert.Equal(upload.Pixels, back.Pixels);
        Assert.Equal([3, 28, 28], WireMessages.ToWire(upload).Shape);
    }

    [Fact]
    public void AnEmptyUploadAndItsAnswerCrossToo()
    {
        // One upload per edge batch, possibly empty: CEMA's replay-only step keys on batches that selected too few.
        var empty = WireMessages.FromWire(WireMessages.ToWire(new Upload("e1", "g", 7, [], 0, Sequence: 41)));
        Assert.Equal((0, 41L), (empty.Count, empty.Sequence));
        Assert.Equal(-1, WireMessages.FromWire(WireMessages.ToWire(new Upload("e1", "g", 7, [], 0))).Sequence);
        var handled = new UploadHandled("e1", "g", 41, 9);
        Assert.Equal(handled, WireMessages.FromWire(WireMessages.ToWire(handled)));
    }

    [Fact]
    public void AnUploadWhoseShapeDoesNotMatchItsPixelsIsRefusedNamingTheField()
    {
        var wire = WireMessages.ToWire(new Upload("e1", "g", 7, TinyNetworks.Images(3, 1), 3));
        wire.Shape[0] = 4;
        Assert.Equal("upload_pixels", Assert.Throws<WireException>(() => WireMessages.FromWire(wire)).Field);
        wire.Shape[0] = 3;
        wire.Shape[1] = 32;
        Assert.Equal("upload_shape", Assert.Throws<WireException>(() => WireMessages.FromWire(wire)).Field);
        wire.Shape[1] = 28;
        wire.Edge = "";
        Assert.Equal("upload.edge", Assert.Throws<WireException>(() => WireMessages.FromWire(wire)).Field);
    }

    [Fact]
    public void AJobAndItsResultCarryTheSessionsParametersExactly()
    {
        var layouts = Layouts();
        using var edge = TinyNetworks.NewEdge(3);
        var models = TinyNetworks.Models(4);
        using var foundation = new Cema.Models.Networks.ResNet(TinyNetworks.Foundation);
        var edgeParams = NormParams.From(edge, 5);
        var foundationParams = NormParams.From(foundation, 5);
        var job = new DistillJob("g", 5, 12, TinyNetworks.Images(2, 2), 2, TinyNetworks.Images(4, 3), 4, edgeParams, foundationParams, new CemaCloudSettings(0.4, 2.5e-4, 2.5e-3, 0.9, 3, 3, 1, 1, Renormalization: true, ClassBalance: true));

        var wire = WireMessages.ToWire(job, "results");
        var back = WireMessages.FromWire(Proto.DistillJob.Parser.ParseFrom(wire.ToByteArray()), layouts);
        Assert.Equal((job.Session, job.Version, job.JobId, job.NewCount, job.ReplayCount, job.Settings), (back.Session, back.Version, back.JobId, back.NewCount, back.ReplayCount, back.Settings));
        Assert.Equal(job.NewPixels, back.NewPixels);
        Assert.Equal(job.ReplayPixels, back.ReplayPixels);
        Assert.Equal(edgeParams.Values.ToArray(), back.EdgeParams!.Values.ToArray());
        Assert.Equal(foundationParams.Values.ToArray(), back.FoundationParams!.Values.ToArray());
        Assert.Equal("results", wire.ReplyTo);

        var fresh = WireMessages.FromWire(WireMessages.ToWire(job with { EdgeParams = null, FoundationParams = null }, "results"), layouts);
        Assert.Null(fresh.EdgeParams);
        Assert.Null(fresh.Optimizer);

        // The session's momentum travels with its jobs and results, so any distiller continues it.
        var momentum = new CloudOptimizerState(Enumerable.Range(0, layouts.Edge.Count / 2).Select(i => i * 0.5f).ToArray(),
            Enumerable.Range(0, layouts.Foundation.Count / 2).Select(i => -i * 0.25f).ToArray());
        var carried = WireMessages.FromWire(WireMessages.ToWire(job with { Optimizer = momentum }, "results"), layouts).Optimizer!;
        Assert.Equal(momentum.Edge, carried.Edge);
        Assert.Equal(momentum.Foundation, carried.Foundation);
        var shortMomentum = WireMessages.ToWire(job with { Optimizer = momentum with { Edge = [1f] } }, "results");
        Assert.Equal("distill_job.optimizer", Assert.Throws<WireException>(() => WireMessages.FromWire(shortMomentum, layouts)).Field);

        var result = new DistillResult("g", 12, 5, NormParams.From(edge, 6), NormParams.From(foundation, 6), new CloudStepResult(null, 1, 2, 3, 4, 2, 4, TimeSpan.FromMilliseconds(250)));
        var resultBack = WireMessages.FromWire(Proto.DistillResult.Parser.ParseFrom(WireMessages.ToWire(result with { Optimizer = momentum }, "d1").ToByteArray()), layouts);
        Assert.Equal(momentum.Edge, resultBack.Optimizer!.Edge);
        Assert.Equal(result.Losses, resultBack.Losses);
        Assert.Equal(6, resultBack.EdgeParams.Version);
        Assert.Equal(result.EdgeParams.Values.ToArray(), resultBack.EdgeParams.Values.ToArray());

        var wrongVersion = WireMessages.ToWire(result, "d1");
        wrongVersion.BaseVersion = 9;
        Assert.Equal("distill_result.edge_params", Assert.Throws<WireException>(() => WireMessages.FromWire(wrongVersion, layouts)).Field);
        var swapped = WireMessages.ToWire(result, "d1");
        swapped.EdgeParams = swapped.FoundationParams; // the foundation's layout where the edge's belongs
        Assert.Equal("distill_result.edge_params", Assert.Throws<WireException>(() => WireMessages.FromWire(swapped, layouts)).Field);
    }

    [Fact]
    public void AParameterUpdateIsCheckedAgainstItsChecksum()
    {
        using var edge = TinyNetworks.NewEdge(3);
        var bytes = NormParams.From(edge, 4).Encode(NormParamsEncoding.Fp16);
        var update = new ParamsUpdated("g", 4, bytes, NormParamsEncoding.Fp16, -1);
        var wire = WireMessages.ToWire(update);
        var back = WireMessages.FromWire(wire);
        Assert.Equal((update.Group, update.Version, update.Encoding, update.BaseVersion), (back.Group, back.Version, back.Encoding, back.BaseVersion));
        Assert.Equal(bytes, back.Params);

        var damaged = wire.Clone();
        var flipped = damaged.Params.ToByteArray();
        flipped[^1] ^= 1;
        damaged.Params = ByteString.CopyFrom(flipped);
        Assert.Equal("params_updated.checksum", Assert.Throws<WireException>(() => WireMessages.FromWire(damaged)).Field);
    }

    [Fact]
    public void TheCodecRefusesAnOversizedMessageNamingTheLimitAndAForeignSchema()
    {
        var codec = new WireCodec(WireLimits.Default with { Upload = 4096 });
        var big = WireCodec.Wrap("e1", e => e.Upload = WireMessages.ToWire(new Upload("e1", "g", 1, TinyNetworks.Images(10, 1), 10)));
        var refused = Assert.Throws<WireLimitException>(() => codec.Encode(big));
        Assert.Equal("cema.cluster.limits.upload", refused.Limit);
        Assert.Contains("cema.cluster.limits.upload = 4,096 bytes", refused.Message);

        var small = WireCodec.Wrap("e1", e => e.Upload = WireMessages.ToWire(new Upload("e1", "g", 1, TinyNetworks.Images(1, 1), 1)));
        Assert.Equal(small, codec.Decode(codec.Encode(small)));
        small.SchemaVersion = 9;
        Assert.Equal("schema_version", Assert.Throws<WireException>(() => codec.Decode(small.ToByteArray())).Field);
        Assert.Equal("envelope", Assert.Throws<WireException>(() => codec.Decode([0xFF, 0xFF, 0xFF])).Field);
    }
}
