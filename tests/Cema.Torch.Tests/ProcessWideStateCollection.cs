namespace Cema.Torch.Tests;

/// <summary>
/// Tests that depend on process-wide LibTorch state — the global generator's sequence, the live
/// tensor count, resident memory — run in this collection: xunit runs it alone, after the
/// parallel ones, so no other test draws random numbers or allocates tensors meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
    public const string Name = "process-wide torch state";
}
