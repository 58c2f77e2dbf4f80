using Cema.Models.Adaptation;

namespace Cema.Models.Evaluation;

/// <summary>What one segment of the stream (one corruption at one severity) gave one method.</summary>
/// <param name="Index">0-based position in the stream.</param>
/// <param name="Corruption">Corruption name, e.g. "fog".</param>
/// <param name="Severity">1–5.</param>
/// <param name="Samples">Samples predicted.</param>
/// <param name="Correct">Of those, predicted right (online: with the parameters the edge held at that moment).</param>
/// <param name="Uploads">Samples the edge uploaded.</param>
public sealed record SegmentResult(int Index, string Corruption, int Severity, long Samples, long Correct, long Uploads)
{
    /// <summary>Percent correct.</summary>
    public double Accuracy => Percent(Correct, Samples);

    /// <summary>Percent uploaded.</summary>
    public double UploadRate => Percent(Uploads, Samples);

    public static double Percent(long part, long whole) => whole == 0 ? 0 : 100.0 * part / whole;
}

/// <summary>Downlink bytes of the same updates under each encoding (the deltas chained on the versions actually sent).</summary>
public sealed record DownlinkSizes(long Fp32, long Fp16, long Fp16Delta)
{
    public static DownlinkSizes Zero { get; } = new(0, 0, 0);

    public long For(NormParamsEncoding encoding) => encoding switch
    {
        NormParamsEncoding.Fp32 => Fp32,
        NormParamsEncoding.Fp16 => Fp16,
        NormParamsEncoding.Fp16Delta => Fp16Delta,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown encoding"),
    };

    public static DownlinkSizes operator +(DownlinkSizes a, DownlinkSizes b) => new(a.Fp32 + b.Fp32, a.Fp16 + b.Fp16, a.Fp16Delta + b.Fp16Delta);
}

/// <summary>Wall-clock times of one method's run; they vary between runs, everything else in a result does not.</summary>
/// <param name="Elapsed">The whole run, stream generation included.</param>
/// <param name="Edge">Edge forward passes and upload decisions.</param>
/// <param name="Cloud">Cloud work: receiving uploads, every step, snapshotting and encoding updates.</param>
/// <param name="CloudSteps">The steps alone (sum of their own clocks).</param>
public sealed record MethodTiming(TimeSpan Elapsed, TimeSpan Edge, TimeSpan Cloud, TimeSpan CloudSteps)
{
    public static MethodTiming Zero { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>One method's run over a stream.</summary>
/// <param name="Name">Method name.</param>
/// <param name="Segments">Per segment, in stream order.</param>
/// <param name="UplinkBytes">uploads × (784 pixel bytes + the upload header).</param>
/// <param name="DownlinkBytes">Bytes of every update sent, in the run's encoding.</param>
/// <param name="Downlink">The same updates' bytes under each encoding.</param>
/// <param name="UpdatesSent">Parameter updates the cloud sent (one per edge batch that ran at least one step).</param>
/// <param name="UpdatesApplied">Of those, applied by the edge (the rest were in flight at a reset or at the end).</param>
/// <param name="CloudSteps">Cloud steps of every kind, replay-only ones included.</param>
/// <param name="ReplayOnlySteps">Replay-only steps among them.</param>
/// <param name="Sessions">1 in continual mode; the number of segments in per-domain mode (a reset per segment).</param>
/// <param name="Selection">The selector's per-rule counts summed over sessions (CEMA, EATA), else null.</param>
/// <param name="RandomUploadRate">The random method's upload probability in percent, else null.</param>
/// <param name="Timing">Wall-clock times (not deterministic).</param>
public sealed record MethodResult(
    string Name,
    IReadOnlyList<SegmentResult> Segments,
    long UplinkBytes,
    long DownlinkBytes,
    DownlinkSizes Downlink,
    long UpdatesSent,
    long UpdatesApplied,
    long CloudSteps,
    long ReplayOnlySteps,
    int Sessions,
    SelectionCounts? Selection,
    double? RandomUploadRate,
    MethodTiming Timing)
{
    public long Samples => Segments.Sum(s => s.Samples);
    public long Correct => Segments.Sum(s => s.Correct);
    public long Uploads => Segments.Sum(s => s.Uploads);

    /// <summary>Mean over segments of each segment's accuracy, percent: the paper's "avg." column.</summary>
    public double MeanAccuracy => Segments.Count == 0 ? 0 : Segments.Average(s => s.Accuracy);

    /// <summary>Percent correct over every sample (equals <see cref="MeanAccuracy"/> when segments are equally long).</summary>
    public double OverallAccuracy => SegmentResult.Percent(Correct, Samples);

    /// <summary>Percent of samples uploaded.</summary>
    public double UploadRate => SegmentResult.Percent(Uploads, Samples);

    /// <summary>Accuracy per corruption name in stream order (a corruption met twice is pooled over its segments).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> PerCorruption =>
        ByCorruption().Select(g => new KeyValuePair<string, double>(g.Key, SegmentResult.Percent(g.Sum(s => s.Correct), g.Sum(s => s.Samples)))).ToArray();

    /// <summary>Upload rate per corruption name in stream order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> PerCorruptionUploadRate =>
        ByCorruption().Select(g => new KeyValuePair<string, double>(g.Key, SegmentResult.Percent(g.Sum(s => s.Uploads), g.Sum(s => s.Samples)))).ToArray();

    /// <summary>Mean wall time of a cloud step in milliseconds (0 without steps).</summary>
    public double CloudStepMilliseconds => CloudSteps == 0 ? 0 : Timing.CloudSteps.TotalMilliseconds / CloudSteps;

    /// <summary>Samples simulated per second of wall time.</summary>
    public double SamplesPerSecond => Timing.Elapsed <= TimeSpan.Zero ? 0 : Samples / Timing.Elapsed.TotalSeconds;

    private IEnumerable<IGrouping<string, SegmentResult>> ByCorruption() => Segments.GroupBy(s => s.Corruption, StringComparer.Ordinal);
}

/// <summary>Everything a simulation produced, and everything needed to run it again.</summary>
/// <param name="Protocol">"continual" or "per-domain".</param>
/// <param name="Severity">The severity of every segment, or null when they differ.</param>
/// <param name="Limit">Test images per segment.</param>
/// <param name="BatchSize">Edge batch size.</param>
/// <param name="UpdateDelay">K, in edge batches.</param>
/// <param name="DownlinkEncoding">Encoding the updates travelled in.</param>
/// <param name="UploadHeaderBytes">Per-upload header counted in uplink bytes.</param>
/// <param name="StreamSeed">The shift stream's seed (image order and corruption noise).</param>
/// <param name="Seeds">Replay, random-upload and torch seeds.</param>
/// <param name="TorchThreads">LibTorch intra-op threads during the run (float sums may round differently with another count).</param>
/// <param name="Settings">Every method knob the run used.</param>
/// <param name="Segments">The stream's segments, "corruption:severity", in order.</param>
/// <param name="EdgeModel">Edge network name.</param>
/// <param name="FoundationModel">Foundation network name.</param>
/// <param name="Methods">Per method, in the order run was asked for.</param>
/// <param name="Elapsed">Wall time of the whole simulation.</param>
public sealed record SimulationResult(
    string Protocol,
    int? Severity,
    int Limit,
    int BatchSize,
    int UpdateDelay,
    NormParamsEncoding DownlinkEncoding,
    int UploadHeaderBytes,
    ulong StreamSeed,
    SimulationSeeds Seeds,
    int TorchThreads,
    Adaptation.Methods.MethodSettings Settings,
    IReadOnlyList<string> Segments,
    string EdgeModel,
    string FoundationModel,
    IReadOnlyList<MethodResult> Methods,
    TimeSpan Elapsed)
{
    /// <summary>Corruption names in the order the stream first meets them.</summary>
    public IReadOnlyList<string> CorruptionOrder =>
        Segments.Select(s => Data.ShiftSegment.Parse(s).Corruption).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The method called <paramref name="name"/>.</summary>
    public MethodResult Method(string name) =>
        Methods.FirstOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"no result for method '{name}' (have {string.Join(", ", Methods.Select(m => m.Name))})");
}
