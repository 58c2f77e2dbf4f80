using Cema.Models.Adaptation;
using Cema.Models.Evaluation;
using Cema.Torch;

namespace Cema.Models.Tests.Evaluation;

public class SelectionAnalysisTests
{
    // E0 = 0.4 ln 3 ≈ 0.439 and E_min = 0.04 ln 3 ≈ 0.044 for three classes.
    private static readonly EntropySelectorSettings Selector = OfficialSettings.Selector with
    {
        DynamicThreshold = false,
        ExcludeLowInformative = true,
        EMinFraction = 0.04,
        ExcludeRedundant = false,
    };

    /// <summary>Rows given as probability vectors: logits ln p, so softmax gives p back.</summary>
    private static Tensor Logits(params double[][] rows) =>
        torch.tensor(rows.SelectMany(r => r.Select(p => (float)Math.Log(p))).ToArray(), rows.Length, rows[0].Length);

    [Fact]
    public void EachSampleIsTalliedUnderTheRuleThatDecidedItWithTeacherDisagreementAndKl()
    {
        double[] certain = { 0.999, 0.0005, 0.0005 };   // E ≈ 0.009 < E_min: low-informative
        double[] middling = { 0.1, 0.9 - 1e-6, 1e-6 };   // E ≈ 0.325, between the bounds: kept
        double[] uniform = { 1 / 3.0, 1 / 3.0, 1 / 3.0 }; // E = ln 3 > E0: unreliable
        var edge = Logits(certain, middling, uniform);
        double[] teacherRow0 = { 0.8, 0.1, 0.1 };
        double[] teacherRow1 = { 0.6, 0.3, 0.1 };
        double[] teacherRow2 = { 0.2, 0.2, 0.6 };
        var teacher = Logits(teacherRow0, teacherRow1, teacherRow2);
        byte[] labels = { 0, 0, 2 };

        var selection = new EntropySelector(Selector).Select(edge);
        Assert.Equal(new[] { SelectionOutcome.LowInformative, SelectionOutcome.Kept, SelectionOutcome.Unreliable }, selection.Outcomes);

        var analysis = new SelectionAnalysis();
        analysis.Add(0, "fog", selection, edge, teacher, labels);

        // Row 1: the edge says class 1 (wrong), the teacher class 0 (right): one disagreement, KL(t‖e) by hand.
        var kept = analysis.Group(SelectionOutcome.Kept);
        Assert.Equal(1, kept.Samples);
        Assert.Equal(0, kept.EdgeCorrect);
        Assert.Equal(1, kept.TeacherCorrect);
        Assert.Equal(1, kept.Disagreements);
        Assert.Equal(Kl(teacherRow1, middling), kept.KlSum, 4);

        // Row 0: both say class 0 (right). Row 2: the uniform edge's arg-max is class 0 (wrong), the teacher's class 2.
        var low = analysis.Group(SelectionOutcome.LowInformative);
        Assert.Equal((1L, 1L, 1L, 0L), (low.Samples, low.EdgeCorrect, low.TeacherCorrect, low.Disagreements));
        var unreliable = analysis.Group(SelectionOutcome.Unreliable);
        Assert.Equal((1L, 0L, 1L, 1L), (unreliable.Samples, unreliable.EdgeCorrect, unreliable.TeacherCorrect, unreliable.Disagreements));

        var all = analysis.All();
        Assert.Equal(3, all.Samples);
        Assert.Equal(200.0 / 3, all.DisagreementRate, 9);
        Assert.Equal(Kl(teacherRow0, certain) + Kl(teacherRow1, middling) + Kl(teacherRow2, uniform), all.KlSum, 4);
        Assert.Equal(new[] { (0, "fog") }, analysis.Segments);
    }

    [Fact]
    public void SegmentsAreKeptApart()
    {
        double[] middling = { 0.1, 0.9 - 1e-6, 1e-6 };
        var edge = Logits(middling);
        var teacher = Logits(middling);
        var selector = new EntropySelector(Selector);
        var analysis = new SelectionAnalysis();
        analysis.Add(0, "fog", selector.Select(edge), edge, teacher, new byte[] { 1 });
        analysis.Add(1, "contrast", selector.Select(edge), edge, teacher, new byte[] { 0 });

        Assert.Equal(100, analysis.Group(SelectionOutcome.Kept, 0).EdgeAccuracy);
        Assert.Equal(0, analysis.Group(SelectionOutcome.Kept, 1).EdgeAccuracy);
        Assert.Equal(50, analysis.All().EdgeAccuracy);
    }

    [Fact]
    public void TrueClassesAreCountedPerRuleAndSegment()
    {
        double[] certain = { 0.999, 0.0005, 0.0005 };
        double[] middling = { 0.1, 0.9 - 1e-6, 1e-6 };
        var edge = Logits(certain, middling, middling);
        var selector = new EntropySelector(Selector);
        var analysis = new SelectionAnalysis();
        analysis.Add(0, "fog", selector.Select(edge), edge, edge, new byte[] { 2, 1, 1 });
        analysis.Add(1, "contrast", selector.Select(edge), edge, edge, new byte[] { 0, 2, 1 });

        Assert.Equal(3, analysis.Classes);
        Assert.Equal(new long[] { 0, 3, 1 }, analysis.ClassCounts(SelectionOutcome.Kept));
        Assert.Equal(new long[] { 0, 2, 0 }, analysis.ClassCounts(SelectionOutcome.Kept, 0));
        Assert.Equal(new long[] { 1, 0, 1 }, analysis.ClassCounts(SelectionOutcome.LowInformative));
        Assert.Equal(new long[] { 1, 3, 2 }, analysis.ClassCounts(null));
        Assert.Equal(new long[] { 0, 0, 0 }, analysis.ClassCounts(SelectionOutcome.Redundant));
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRefused()
    {
        var edge = Logits(new[] { 0.5, 0.25, 0.25 });
        var selection = new EntropySelector(Selector).Select(edge);
        var error = Assert.Throws<ArgumentException>(() => new SelectionAnalysis().Add(0, "fog", selection, edge, edge, new byte[] { 3 }));
        Assert.Contains("label 3 is not one of the 3 classes", error.Message);
    }

    [Fact]
    public void ABatchWhoseShapesDisagreeIsRefused()
    {
        var edge = Logits(new[] { 0.5, 0.25, 0.25 }, new[] { 0.25, 0.5, 0.25 });
        var selection = new EntropySelector(Selector).Select(edge);
        var error = Assert.Throws<ArgumentException>(() => new SelectionAnalysis().Add(0, "fog", selection, edge, edge, new byte[] { 0 }));
        Assert.Contains("1 labels", error.Message);
    }

    private static double Kl(double[] p, double[] q) => p.Select((pi, i) => pi * Math.Log(pi / q[i])).Sum();
}
