using Cema.Models.Adaptation;
using Cema.Models.Data;
using Google.Protobuf;
using Google.Protobuf.Collections;
using CloudMessages = Cema.Actors.Cloud;
using DistillerMessages = Cema.Actors.Distiller;

namespace Cema.Actors.Cluster.Wire;

/// <summary>
/// The actors' messages (immutable records of #5) to their protobuf form and back. Reading checks what the
/// schema cannot: non-empty names, image shapes that match the pixel bytes, parameter checksums and layouts;
/// a failure is a <see cref="WireException"/> naming the field.
/// </summary>
public static class WireMessages
{
    public static Proto.Upload ToWire(CloudMessages.Upload upload) => new()
    {
        Edge = upload.Edge,
        Group = upload.Group,
        ParamsVersion = upload.Version,
        Pixels = ByteString.CopyFrom(upload.Pixels),
        Shape = { upload.Count, Dataset.Height, Dataset.Width },
        Sequence = upload.Sequence,
    };

    public static CloudMessages.Upload FromWire(Proto.Upload upload)
    {
        Named(upload.Edge, "upload.edge");
        Named(upload.Group, "upload.group");
        int count = Images(upload.Pixels, upload.Shape, "upload");
        return new CloudMessages.Upload(upload.Edge, upload.Group, upload.ParamsVersion, upload.Pixels.ToByteArray(), count, Math.Max(-1, upload.Sequence));
    }

    public static Proto.UploadHandled ToWire(CloudMessages.UploadHandled handled) => new()
    {
        Edge = handled.Edge, Session = handled.Session, Sequence = handled.Sequence, Version = handled.Version,
    };

    public static CloudMessages.UploadHandled FromWire(Proto.UploadHandled handled)
    {
        Named(handled.Edge, "upload_handled.edge");
        Named(handled.Session, "upload_handled.session");
        if (handled.Sequence < 0) throw new WireException("upload_handled.sequence", $"{handled.Sequence} is not a batch number");
        return new CloudMessages.UploadHandled(handled.Edge, handled.Session, handled.Sequence, handled.Version);
    }

    public static Proto.DistillJob ToWire(DistillerMessages.DistillJob job, string replyTo) => new()
    {
        Session = job.Session,
        Version = job.Version,
        JobId = job.JobId,
        NewPixels = ByteString.CopyFrom(job.NewPixels),
        NewShape = { job.NewCount, Dataset.Height, Dataset.Width },
        ReplayPixels = ByteString.CopyFrom(job.ReplayPixels),
        ReplayShape = { job.ReplayCount, Dataset.Height, Dataset.Width },
        EdgeParams = job.EdgeParams is { } e ? ByteString.CopyFrom(e.Encode(NormParamsEncoding.Fp32)) : ByteString.Empty,
        FoundationParams = job.FoundationParams is { } f ? ByteString.CopyFrom(f.Encode(NormParamsEncoding.Fp32)) : ByteString.Empty,
        Settings = ToWire(job.Settings),
        ReplyTo = replyTo,
        Optimizer = ToWire(job.Optimizer),
    };

    public static DistillerMessages.DistillJob FromWire(Proto.DistillJob job, ClusterLayouts layouts)
    {
        Named(job.Session, "distill_job.session");
        Named(job.ReplyTo, "distill_job.reply_to");
        int fresh = Images(job.NewPixels, job.NewShape, "distill_job.new");
        int replayed = Images(job.ReplayPixels, job.ReplayShape, "distill_job.replay");
        if (fresh + replayed == 0) throw new WireException("distill_job.new_shape", "a job of no images");
        if (job.Settings is null) throw new WireException("distill_job.settings", "missing");
        CemaCloudSettings settings;
        try
        {
            settings = FromWire(job.Settings).Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new WireException("distill_job.settings", e.Message, e);
        }
        return new DistillerMessages.DistillJob(job.Session, job.Version, job.JobId,
            job.NewPixels.ToByteArray(), fresh, job.ReplayPixels.ToByteArray(), replayed,
            OptionalParams(job.EdgeParams, layouts.Edge, "distill_job.edge_params"),
            OptionalParams(job.FoundationParams, layouts.Foundation, "distill_job.foundation_params"),
            settings,
            FromWire(job.Optimizer, layouts, "distill_job.optimizer"));
    }

    public static Proto.DistillResult ToWire(DistillerMessages.DistillResult result, string distiller)
    {
        var losses = result.Losses;
        return new Proto.DistillResult
        {
            Session = result.Session,
            JobId = result.JobId,
            BaseVersion = result.BaseVersion,
            EdgeParams = ByteString.CopyFrom(result.EdgeParams.Encode(NormParamsEncoding.Fp32)),
            FoundationParams = ByteString.CopyFrom(result.FoundationParams.Encode(NormParamsEncoding.Fp32)),
            HasFoundationLoss = losses.FoundationLoss.HasValue,
            FoundationLoss = losses.FoundationLoss ?? 0,
            EdgeEntropyLoss = losses.EdgeEntropyLoss,
            EdgeKlLoss = losses.EdgeKlLoss,
            EdgeCrossEntropyLoss = losses.EdgeCrossEntropyLoss,
            EdgeTotalLoss = losses.EdgeTotalLoss,
            NewSamples = losses.NewSamples,
            ReplayedSamples = losses.ReplayedSamples,
            ElapsedUs = (long)losses.Elapsed.TotalMicroseconds,
            Distiller = distiller,
            Optimizer = ToWire(result.Optimizer),
        };
    }

    public static DistillerMessages.DistillResult FromWire(Proto.DistillResult result, ClusterLayouts layouts)
    {
        Named(result.Session, "distill_result.session");
        var edge = OptionalParams(result.EdgeParams, layouts.Edge, "distill_result.edge_params")
            ?? throw new WireException("distill_result.edge_params", "missing");
        var foundation = OptionalParams(result.FoundationParams, layouts.Foundation, "distill_result.foundation_params")
            ?? throw new WireException("distill_result.foundation_params", "missing");
        if (edge.Version != result.BaseVersion + 1)
            throw new WireException("distill_result.edge_params", $"version {edge.Version} does not follow the base version {result.BaseVersion}");
        var losses = new CloudStepResult(result.HasFoundationLoss ? result.FoundationLoss : null, result.EdgeEntropyLoss, result.EdgeKlLoss,
            result.EdgeCrossEntropyLoss, result.EdgeTotalLoss, result.NewSamples, result.ReplayedSamples, TimeSpan.FromMicroseconds(result.ElapsedUs));
        return new DistillerMessages.DistillResult(result.Session, result.JobId, result.BaseVersion, edge, foundation, losses,
            FromWire(result.Optimizer, layouts, "distill_result.optimizer"));
    }

    public static Proto.ParamsUpdated ToWire(CloudMessages.ParamsUpdated update) => new()
    {
        Group = update.Group,
        Version = update.Version,
        BaseVersion = update.BaseVersion,
        Encoding = (Proto.ParamsEncoding)(int)update.Encoding,
        Params = ByteString.CopyFrom(update.Params),
        Checksum = Crc32.Compute(update.Params),
    };

    public static CloudMessages.ParamsUpdated FromWire(Proto.ParamsUpdated update)
    {
        Named(update.Group, "params_updated.group");
        var encoding = (NormParamsEncoding)(int)update.Encoding;
        if (!Enum.IsDefined(encoding)) throw new WireException("params_updated.encoding", $"unknown encoding {(int)update.Encoding}");
        var bytes = update.Params.ToByteArray();
        uint actual = Crc32.Compute(bytes);
        if (actual != update.Checksum)
            throw new WireException("params_updated.checksum", $"stored {update.Checksum:x8}, computed {actual:x8}: the parameters were damaged");
        if (update.Version <= 0) throw new WireException("params_updated.version", $"{update.Version} is not a published version");
        return new CloudMessages.ParamsUpdated(update.Group, update.Version, bytes, encoding, update.BaseVersion);
    }

    public static Proto.CloudStepSettings ToWire(CemaCloudSettings s) => new()
    {
        E0Fraction = s.E0Fraction,
        FoundationLearningRate = s.FoundationLearningRate,
        EdgeLearningRate = s.EdgeLearningRate,
        Momentum = s.Momentum,
        Alpha = s.Alpha,
        Beta = s.Beta,
        Gamma = s.Gamma,
        Temperature = s.Temperature,
        Renormalization = s.Renormalization,
        ClassBalance = s.ClassBalance,
    };

    public static CemaCloudSettings FromWire(Proto.CloudStepSettings s) =>
        new(s.E0Fraction, s.FoundationLearningRate, s.EdgeLearningRate, s.Momentum, s.Alpha, s.Beta, s.Gamma, s.Temperature, s.Renormalization, s.ClassBalance);

    private static Proto.OptimizerState? ToWire(CloudOptimizerState? state) =>
        state is null ? null : new Proto.OptimizerState { Edge = { state.Edge }, Foundation = { state.Foundation } };

    // Momentum buffers cover every norm γ and β: half of a layout's values (γ, β, running mean, running variance per channel).
    private static CloudOptimizerState? FromWire(Proto.OptimizerState? state, ClusterLayouts layouts, string field)
    {
        if (state is null) return null;
        if (state.Edge.Count != layouts.Edge.Count / 2)
            throw new WireException(field, $"{state.Edge.Count} edge momentum values, the edge's norm layers have {layouts.Edge.Count / 2} affine parameters");
        if (state.Foundation.Count != layouts.Foundation.Count / 2)
            throw new WireException(field, $"{state.Foundation.Count} foundation momentum values, its norm layers have {layouts.Foundation.Count / 2} affine parameters");
        return new CloudOptimizerState(state.Edge.ToArray(), state.Foundation.ToArray());
    }

    private static NormParams? OptionalParams(ByteString bytes, NormParamsLayout layout, string field)
    {
        if (bytes.IsEmpty) return null;
        try
        {
            return NormParams.Decode(bytes.Span, layout);
        }
        catch (NormParamsFormatException e)
        {
            throw new WireException(field, e.Message, e);
        }
    }

    /// <summary>Checks shape [n, 28, 28] against the pixel bytes and returns n.</summary>
    private static int Images(ByteString pixels, RepeatedField<int> shape, string field)
    {
        if (shape.Count != 3 || shape[0] < 0 || shape[1] != Dataset.Height || shape[2] != Dataset.Width)
            throw new WireException(field + "_shape", $"[{string.Join(", ", shape)}] is not [count, {Dataset.Height}, {Dataset.Width}]");
        if ((long)shape[0] * Dataset.PixelsPerImage != pixels.Length)
            throw new WireException(field + "_pixels", $"{pixels.Length} bytes are not {shape[0]} images of {Dataset.PixelsPerImage}");
        return shape[0];
    }

    private static void Named(string value, string field)
    {
        if (string.IsNullOrEmpty(value)) throw new WireException(field, "must not be empty");
    }
}
