namespace Cema.Models.Data;

/// <summary>
/// A batch of a shift stream: uint8 pixels N×784, labels, the test-set index each image came from,
/// and the domain it belongs to. <see cref="IsNewDomain"/> is set on the first batch of every segment
/// in per-domain mode, where a method is allowed to reset to the source model; continual mode never
/// sets it, because there the method must not be told that the domain changed.
/// </summary>
public sealed record Batch(
    byte[] Pixels,
    byte[] Labels,
    int[] SourceIndices,
    string Corruption,
    int Severity,
    int SegmentIndex,
    bool IsNewDomain)
{
    public int Count => Labels.Length;
}
