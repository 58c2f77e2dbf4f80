namespace Cema.Models.Tests;

/// <summary>
/// Tests that depend on process-wide LibTorch state (live tensor counts, the global generator's sequence) and so must
/// not overlap other tests: xunit runs this collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
    public const string Name = "process-wide LibTorch state";
}
