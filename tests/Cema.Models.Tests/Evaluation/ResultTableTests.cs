using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation;

namespace Cema.Models.Tests.Evaluation;

public class ResultTableTests
{
    [Fact]
    public void The_text_table_has_a_row_per_method_and_a_column_per_corruption_plus_the_mean()
    {
        string text = ResultTable.Text(SimulationResultJsonTests.Sample());
        var lines = text.Split('\n');
        int accuracy = Array.FindIndex(lines, l => l.StartsWith("accuracy (%)"));
        int upload = Array.FindIndex(lines, l => l.StartsWith("upload (%)"));
        Assert.True(accuracy > 0 && upload > accuracy);
        Assert.Equal(new[] { "accuracy", "(%)", "gauss", "fog", "mean" }, lines[accuracy].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new[] { "cema", "66.0", "66.0", "66.0" }, lines[accuracy + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new[] { "cema", "20.0", "20.0", "20.0" }, lines[upload + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("source", lines[accuracy + 1]);
        // Aligned: every row of a block ends at the same column.
        var block = lines.Skip(accuracy).Take(4).ToArray();
        Assert.Single(block.Select(l => l.Length).Distinct());
        Assert.DoesNotContain(lines, l => l.EndsWith(' '));
    }

    [Fact]
    public void The_markdown_has_an_accuracy_and_an_upload_table_with_every_test_corruption()
    {
        var sample = SimulationResultJsonTests.Sample();
        var all = sample with { Segments = ShiftSegment.ImageNetCOrder(5).Select(s => s.ToString()).ToArray() };
        string markdown = ResultTable.Markdown(all);
        var header = markdown.Split('\n').Where(l => l.StartsWith("| Accuracy") || l.StartsWith("| Upload")).ToArray();
        Assert.Equal(2, header.Length);
        // method + 15 corruptions + mean.
        Assert.All(header, h => Assert.Equal(17, h.Trim('|', ' ').Split(" | ").Length));
        Assert.Contains("| jpeg | mean |", header[0]);
        Assert.Contains("| cema |", markdown);
        Assert.Contains("severity 5, per-domain", markdown);
    }

    [Fact]
    public void Byte_counts_read_in_decimal_units()
    {
        Assert.Equal("999 B", ResultTable.Bytes(999));
        Assert.Equal("1.50 KB", ResultTable.Bytes(1500));
        Assert.Equal("23.5 MB", ResultTable.Bytes(23_456_789));
        Assert.Equal("235 MB", ResultTable.Bytes(234_567_890));
    }

    [Fact]
    public void A_real_run_renders()
    {
        using var models = TinySimulation.Models();
        var result = new OnlineSimulator(models, TinySimulation.Settings()).Run(TinySimulation.Stream(), new[] { AdaptationMethods.Source, AdaptationMethods.BnAdapt });
        string text = ResultTable.Text(result);
        Assert.Contains("brit", text);
        Assert.Contains("contr", text);
        Assert.Contains("bn", text);
    }
}
