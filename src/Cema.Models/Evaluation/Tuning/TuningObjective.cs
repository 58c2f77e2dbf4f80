namespace Cema.Models.Evaluation.Tuning;

/// <summary>
/// What a tune maximizes: the mean online accuracy over the validation segments (percent, the paper's
/// "avg." column), minus <see cref="Penalty"/> points for every point of upload rate above
/// <see cref="MaxUploadRate"/>. Within the cap only accuracy counts; above it, the penalty is steep enough
/// that a feasible candidate beats any infeasible one short of a <c>Penalty</c>-fold accuracy gain, while
/// infeasible candidates still rank by how close they come. Ties go to the lower upload rate.
/// </summary>
/// <param name="MaxUploadRate">Upload cap in percent (null: none, e.g. Tent, which uploads everything by definition).</param>
/// <param name="Penalty">Accuracy points lost per upload point above the cap.</param>
public sealed record TuningObjective(double? MaxUploadRate, double Penalty)
{
    /// <summary>
    /// The cap, in percent of <paramref name="samples"/>, of "fewer uploads than a reference that uploaded
    /// <paramref name="uploads"/>": one upload fewer, computed as an upload rate is, so a run uploading exactly that
    /// many is within it and one uploading as many as the reference is not.
    /// </summary>
    public static double CapBelow(long uploads, long samples)
    {
        if (samples <= 0) throw new ArgumentOutOfRangeException(nameof(samples), samples, "the reference run saw no samples");
        if (uploads < 0 || uploads > samples) throw new ArgumentOutOfRangeException(nameof(uploads), uploads, $"uploads must be 0–{samples}, the samples seen");
        return SegmentResult.Percent(Math.Max(0, uploads - 1), samples);
    }

    /// <summary>The score of a run with <paramref name="accuracy"/> and <paramref name="uploadRate"/> (both percent).</summary>
    public double Score(double accuracy, double uploadRate) =>
        MaxUploadRate is { } cap && uploadRate > cap ? accuracy - Penalty * (uploadRate - cap) : accuracy;

    /// <summary>Whether <paramref name="a"/> ranks above <paramref name="b"/>: higher score, then lower upload rate.</summary>
    public bool Better(TrialMetrics a, TrialMetrics b)
    {
        double sa = Score(a.Accuracy, a.UploadRate), sb = Score(b.Accuracy, b.UploadRate);
        return sa != sb ? sa > sb : a.UploadRate < b.UploadRate;
    }

    /// <summary>The objective in words, for reports.</summary>
    public string Describe() => MaxUploadRate is { } cap
        ? $"maximize mean online accuracy (%) over the validation segments, minus {Penalty:G} points per point of upload rate above {cap:G}%; ties to the lower upload rate"
        : "maximize mean online accuracy (%) over the validation segments; ties to the lower upload rate";

    public TuningObjective Validate()
    {
        if (MaxUploadRate is { } cap && cap is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(MaxUploadRate), cap, "the upload cap is a percentage, 0–100");
        if (!(Penalty >= 0)) throw new ArgumentOutOfRangeException(nameof(Penalty), Penalty, "the penalty must be non-negative");
        return this;
    }
}

/// <summary>What one evaluated candidate measured: mean accuracy and upload rate in percent, and anything else worth reporting.</summary>
public sealed record TrialMetrics(double Accuracy, double UploadRate, IReadOnlyDictionary<string, double>? Extra = null);
