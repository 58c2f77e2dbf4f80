using Cema.Actors.Configuration;

namespace Cema.Actors.Tests.Configuration;

public sealed class ConfigFileEditorTests
{
    private const string Text = """
        # header comment
        cema {
          adapt {
            # why the selector is so
            selector {
              # the cap
              redundancy-epsilon = 0.05   # trailing
              lambda = 0.6
            }
            cloud {
              edge-lr = 2.5e-3
              renormalization = true
            }
          }
          other.lr = 7
        }
        """;

    [Fact]
    public void Changes_only_the_named_values_and_adds_a_note_above_each()
    {
        var edited = ConfigFileEditor.SetNumbers(Text, new Dictionary<string, double>
        {
            ["cema.adapt.selector.redundancy-epsilon"] = 0.7,
            ["cema.adapt.cloud.edge-lr"] = 1e-2,
            ["cema.other.lr"] = 7,   // unchanged: no note, line untouched
        }, "tuned on validation");

        var before = Text.Split('\n');
        var after = edited.Split('\n');
        Assert.Equal(before.Length + 2, after.Length);
        Assert.Contains("      # cema tune: tuned on validation (was 0.05)", after);
        Assert.Contains("      redundancy-epsilon = 0.7   # trailing", after);
        Assert.Contains("      # cema tune: tuned on validation (was 2.5e-3)", after);
        Assert.Contains("      edge-lr = 0.01", after);
        // Every original line except the two edited ones survives, in order.
        var kept = after.Where(l => !l.Contains("cema tune:") && !l.Contains("redundancy-epsilon") && !l.Contains("edge-lr")).ToArray();
        Assert.Equal(before.Where(l => !l.Contains("redundancy-epsilon") && !l.Contains("edge-lr")), kept);

        var config = Config.ParseString(edited);
        Assert.Equal(0.7, config.GetDouble("cema.adapt.selector.redundancy-epsilon"));
        Assert.Equal(0.01, config.GetDouble("cema.adapt.cloud.edge-lr"));
        Assert.Equal(0.6, config.GetDouble("cema.adapt.selector.lambda"));
    }

    [Fact]
    public void A_second_edit_replaces_the_note_instead_of_adding_one()
    {
        var once = ConfigFileEditor.SetNumbers(Text, new Dictionary<string, double> { ["cema.adapt.selector.lambda"] = 0.8 }, "first");
        var twice = ConfigFileEditor.SetNumbers(once, new Dictionary<string, double> { ["cema.adapt.selector.lambda"] = 1.2 }, "second");
        Assert.Equal(once.Split('\n').Length, twice.Split('\n').Length);
        Assert.Contains("# cema tune: second (was 0.8)", twice);
        Assert.DoesNotContain("first", twice);
        Assert.Equal(1.2, Config.ParseString(twice).GetDouble("cema.adapt.selector.lambda"));
    }

    [Fact]
    public void Switches_are_written_as_true_and_false()
    {
        var edited = ConfigFileEditor.SetValues(Text, new Dictionary<string, object> { ["cema.adapt.cloud.renormalization"] = false }, "switched");
        Assert.Contains("      renormalization = false", edited);
        Assert.Contains("# cema tune: switched (was true)", edited);
        Assert.False(Config.ParseString(edited).GetBool("cema.adapt.cloud.renormalization"));
    }

    [Fact]
    public void A_key_not_in_the_file_is_an_error_naming_it()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => ConfigFileEditor.SetNumbers(Text, new Dictionary<string, double> { ["cema.adapt.selector.gamma"] = 1 }, "x"));
        Assert.Contains("cema.adapt.selector.gamma", e.Message);
    }

    [Fact]
    public void Numbers_are_written_so_they_read_back_exactly()
    {
        foreach (double v in new[] { 2.5e-4, 1e-2, 0.1 + 0.2, 3, 1.01 })
        {
            var edited = ConfigFileEditor.SetNumbers(Text, new Dictionary<string, double> { ["cema.adapt.cloud.edge-lr"] = v }, "n");
            Assert.Equal(v, Config.ParseString(edited).GetDouble("cema.adapt.cloud.edge-lr"));
        }
    }
}
