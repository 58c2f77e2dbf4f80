namespace Cema.Models.Evaluation;

/// <summary>Where a simulation is, reported after every edge batch (for a CLI progress bar).</summary>
/// <param name="Method">The method running.</param>
/// <param name="MethodIndex">0-based position of the method in the run (an extra CEMA run made only to measure the random rate counts too).</param>
/// <param name="MethodCount">Methods the run will simulate.</param>
/// <param name="SamplesProcessed">Samples of this method's stream predicted so far.</param>
/// <param name="TotalSamples">Samples in the stream.</param>
/// <param name="SegmentIndex">0-based segment of the batch just processed.</param>
/// <param name="Corruption">That segment's corruption.</param>
/// <param name="RunningAccuracy">Percent correct over the samples processed so far.</param>
/// <param name="RunningUploadRate">Percent uploaded so far.</param>
public sealed record SimulationProgress(
    string Method,
    int MethodIndex,
    int MethodCount,
    long SamplesProcessed,
    long TotalSamples,
    int SegmentIndex,
    string Corruption,
    double RunningAccuracy,
    double RunningUploadRate);
