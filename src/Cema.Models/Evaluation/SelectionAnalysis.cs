using Cema.Models.Adaptation;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Torch;

namespace Cema.Models.Evaluation;

/// <summary>
/// Samples of one <see cref="SelectionOutcome"/> and what distillation could learn from them: how often the edge and the
/// teacher are right, how often they disagree (there the KL and pseudo-label terms pull the replica somewhere), and the
/// summed KL(teacher ‖ edge).
/// </summary>
public sealed record SelectionGroup(long Samples, long EdgeCorrect, long TeacherCorrect, long Disagreements, double KlSum)
{
    public static SelectionGroup Empty { get; } = new(0, 0, 0, 0, 0);

    public double EdgeAccuracy => SegmentResult.Percent(EdgeCorrect, Samples);
    public double TeacherAccuracy => SegmentResult.Percent(TeacherCorrect, Samples);
    public double DisagreementRate => SegmentResult.Percent(Disagreements, Samples);
    public double MeanKl => Samples == 0 ? 0 : KlSum / Samples;

    public static SelectionGroup operator +(SelectionGroup a, SelectionGroup b) => new(
        a.Samples + b.Samples, a.EdgeCorrect + b.EdgeCorrect, a.TeacherCorrect + b.TeacherCorrect, a.Disagreements + b.Disagreements, a.KlSum + b.KlSum);

    /// <summary>The samples of <paramref name="a"/> not in its part <paramref name="b"/>.</summary>
    public static SelectionGroup operator -(SelectionGroup a, SelectionGroup b) => new(
        a.Samples - b.Samples, a.EdgeCorrect - b.EdgeCorrect, a.TeacherCorrect - b.TeacherCorrect, a.Disagreements - b.Disagreements, a.KlSum - b.KlSum);
}

/// <summary>
/// Tallies, per segment and <see cref="SelectionOutcome"/>, what CEMA's selector keeps and drops, against the teacher's
/// view of the same samples. Random upload draws from all samples alike, so the all-samples row is what it uploads in
/// expectation: a selector whose kept samples carry fewer disagreements than that gives distillation less to learn from.
/// </summary>
public sealed class SelectionAnalysis
{
    private readonly SortedDictionary<int, (string corruption, SelectionGroup[] groups, long[][] labels)> segments = new();

    /// <summary>Adds one batch: the selector's decision, both models' logits (N×C) and the labels.</summary>
    public void Add(int segmentIndex, string corruption, SelectionResult selection, Tensor edgeLogits, Tensor teacherLogits, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(edgeLogits);
        ArgumentNullException.ThrowIfNull(teacherLogits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(selection);
        var outcomes = selection.Outcomes;
        if (edgeLogits.shape[0] != outcomes.Length || teacherLogits.shape[0] != outcomes.Length || labels.Length != outcomes.Length)
            throw new ArgumentException($"the batch has {outcomes.Length} selections, {edgeLogits.shape[0]} edge rows, {teacherLogits.shape[0]} teacher rows and {labels.Length} labels");
        int classes = (int)edgeLogits.shape[1];
        if (classes != Classes && segments.Count > 0) throw new ArgumentException($"the batch has {classes} classes, the earlier ones {Classes}");
        foreach (byte label in labels)
            if (label >= classes) throw new ArgumentException($"label {label} is not one of the {classes} classes");
        Classes = classes;

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long[] edge = edgeLogits.argmax(1).ToArray<long>();
        long[] teacher = teacherLogits.argmax(1).ToArray<long>();
        var teacherLog = torch.nn.functional.log_softmax(teacherLogits, 1);
        var edgeLog = torch.nn.functional.log_softmax(edgeLogits, 1);
        double[] kl = (teacherLog.exp() * (teacherLog - edgeLog)).sum(1).@double().ToArray<double>();

        if (!segments.TryGetValue(segmentIndex, out var entry))
        {
            int kinds = Enum.GetValues<SelectionOutcome>().Length;
            entry = (corruption, Enumerable.Repeat(SelectionGroup.Empty, kinds).ToArray(), Enumerable.Range(0, kinds).Select(_ => new long[classes]).ToArray());
            segments[segmentIndex] = entry;
        }
        for (int i = 0; i < outcomes.Length; i++)
        {
            entry.groups[(int)outcomes[i]] += new SelectionGroup(1, edge[i] == labels[i] ? 1 : 0, teacher[i] == labels[i] ? 1 : 0, edge[i] != teacher[i] ? 1 : 0, kl[i]);
            entry.labels[(int)outcomes[i]][labels[i]]++;
        }
    }

    /// <summary>Classes of the logits added so far (0 before the first batch).</summary>
    public int Classes { get; private set; }

    /// <summary>
    /// Samples of each true class under one outcome in one segment (null: every segment; null outcome: every sample).
    /// An entropy floor keeps the classes the edge confuses; this shows how skewed the uploads are against a uniform draw.
    /// </summary>
    public long[] ClassCounts(SelectionOutcome? outcome, int? segment = null)
    {
        var counts = new long[Classes];
        foreach (var (_, (_, _, labels)) in segments.Where(kv => segment is null || kv.Key == segment))
            for (int o = 0; o < labels.Length; o++)
                if (outcome is null || o == (int)outcome)
                    for (int c = 0; c < counts.Length; c++) counts[c] += labels[o][c];
        return counts;
    }

    /// <summary>Segment index and corruption, in stream order.</summary>
    public IEnumerable<(int index, string corruption)> Segments => segments.Select(kv => (kv.Key, kv.Value.corruption));

    /// <summary>One outcome's tally in one segment (null: every segment).</summary>
    public SelectionGroup Group(SelectionOutcome outcome, int? segment = null) =>
        segments.Where(kv => segment is null || kv.Key == segment).Aggregate(SelectionGroup.Empty, (sum, kv) => sum + kv.Value.groups[(int)outcome]);

    /// <summary>Every sample of one segment (null: every segment), whatever the selector decided.</summary>
    public SelectionGroup All(int? segment = null) =>
        Enum.GetValues<SelectionOutcome>().Aggregate(SelectionGroup.Empty, (sum, o) => sum + Group(o, segment));

    /// <summary>
    /// Runs CEMA's selector over <paramref name="stream"/> on the logits of the BN-adapted edge (batch statistics, no
    /// cloud update), with the BN-adapted foundation model as the teacher: where each rule cuts before any adaptation.
    /// </summary>
    public static SelectionAnalysis Run(SimulationModels models, ShiftStream stream, EntropySelectorSettings selectorSettings, Action<long>? samplesDone = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(stream);
        var analysis = new SelectionAnalysis();
        BatchNormAdaptMethod? edge = null, teacher = null;
        EntropySelector? selector = null;
        long done = 0;
        try
        {
            foreach (var batch in stream)
            {
                if (edge is null || batch.IsNewDomain)
                {
                    edge?.Dispose();
                    teacher?.Dispose();
                    edge = new BatchNormAdaptMethod(models.NewEdge());
                    teacher = new BatchNormAdaptMethod(models.NewFoundation());
                    selector = new EntropySelector(selectorSettings);
                }
                using var scope = torch.NewDisposeScope();
                var images = ImageTensors.ToTensor(batch.Pixels, batch.Count);
                var edgeLogits = edge.Predict(images);
                var teacherLogits = teacher!.Predict(images);
                analysis.Add(batch.SegmentIndex, batch.Corruption, selector!.Select(edgeLogits), edgeLogits, teacherLogits, batch.Labels);
                done += batch.Count;
                samplesDone?.Invoke(done);
            }
        }
        finally
        {
            edge?.Dispose();
            teacher?.Dispose();
        }
        return analysis;
    }
}
