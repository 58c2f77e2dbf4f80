using Cema.Torch;

namespace Cema.Models.Adaptation.Methods;

/// <summary>
/// One test-time adaptation method with both of its halves in one object, for the offline simulator:
/// the edge half (predict with the parameters the edge holds, decide what to upload, apply updates)
/// and the cloud half (take uploads, run the adaptation steps they trigger, hand out the edge
/// replica's parameters). The simulator is the wire between them: it moves uploaded pixels up,
/// encodes <see cref="NormParams"/> down, applies the update delay and counts every byte. An instance
/// is one session: a per-domain reset disposes it and creates a fresh one.
/// </summary>
public interface IAdaptationMethod : IDisposable
{
    /// <summary>The method's name in <see cref="AdaptationMethods.Names"/>.</summary>
    string Name { get; }

    // ---- edge half --------------------------------------------------------------------------------

    /// <summary>
    /// Logits (N×C) for one batch of standardized images, computed with the parameters the edge holds now.
    /// A new tensor the caller owns, with no autograd history: an edge never builds a graph.
    /// </summary>
    Tensor Predict(Tensor images);

    /// <summary>Rows of the batch the edge uploads, ascending, judged from that batch's <paramref name="logits"/>.</summary>
    long[] SelectUploads(Tensor logits);

    /// <summary>Upload decisions counted per rule over this session, or null when no selector decides (all, none or random).</summary>
    SelectionCounts? SelectionTotals { get; }

    /// <summary>Writes a parameter update received from the cloud into the edge model.</summary>
    void ApplyUpdate(NormParams update);

    // ---- cloud half -------------------------------------------------------------------------------

    /// <summary>Whether the method has a cloud half at all (source and BN-adapt run on the edge alone).</summary>
    bool HasCloud { get; }

    /// <summary>
    /// Version 0: the norm parameters both halves start from (the source model's), the base of the first
    /// delta-encoded update. Null without a cloud.
    /// </summary>
    NormParams? InitialParams { get; }

    /// <summary>
    /// The uploads of one edge batch (<paramref name="count"/> uint8 images back to back, possibly none) and
    /// every cloud step they trigger. Called once per edge batch, uploads or not, because a batch that
    /// brought no full step may still earn a replay-only step.
    /// </summary>
    CloudRound ReceiveUploads(ReadOnlySpan<byte> pixels, int count);

    /// <summary>The cloud's edge replica's norm parameters now, labelled <paramref name="version"/>: what is sent down.</summary>
    NormParams SnapshotReplica(long version);
}
