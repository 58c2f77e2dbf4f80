using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cema.Cli.Tests;

/// <summary>The benchmark verb runs end to end; its figures belong in BENCHMARKS.md, not in asserts.</summary>
public class BenchCommandTests
{
    [Fact]
    public void Bench_binding_runs_both_sides_and_ends_with_the_ratio_line()
    {
        string json = Path.Combine(Path.GetTempPath(), $"binding-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, stderr) = CliTests.RunCema("bench", "binding", "--batch", "4", "--reps", "2", "--iters", "1", "--threads", "1", "--json", json);
            Assert.True(code == 0, stderr);
            string last = stdout.TrimEnd().Split('\n')[^1];
            var m = Regex.Match(last, @"^binding ratio forward=(\d+\.\d+) train=(\d+\.\d+)$");
            Assert.True(m.Success, $"last line was: {last}");
            Assert.True(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 0);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(2, doc.RootElement.GetProperty("forward").GetArrayLength());
            foreach (var pair in doc.RootElement.GetProperty("train").EnumerateArray())
            {
                Assert.True(pair.GetProperty("CSharpMs").GetDouble() > 0);
                Assert.True(pair.GetProperty("CppMs").GetDouble() > 0);
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void Help_lists_the_verbs()
    {
        var (code, stdout, _) = CliTests.RunCema("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "version", "bench", "gallery" }) Assert.Contains(verb, stdout);
    }
}
