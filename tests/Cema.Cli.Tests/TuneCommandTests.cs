using System.Text.Json;

namespace Cema.Cli.Tests;

/// <summary><c>cema tune</c> on tiny models with a tiny budget: it scores on the validation split and --write edits only the chosen values.</summary>
public sealed class TuneCommandTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"cema-tune-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    internal static string RepositoryReference()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon", "reference.conf");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("hocon/reference.conf not found above the test directory");
    }

    [Fact]
    public void A_tiny_budgeted_tune_writes_its_choice_into_a_copy_of_reference_conf_keeping_everything_else()
    {
        string models = Path.Combine(directory, "models");
        foreach (var model in new[] { "edge", "foundation" })
        {
            var (trainCode, trainOut, trainErr) = CliTests.RunCema("train", "--model", model, "--epochs", "1", "--limit", "128",
                "--out", models, "--checkpoints", Path.Combine(directory, "checkpoints"));
            Assert.True(trainCode == 0, trainErr + trainOut);
        }
        string repository = RepositoryReference();
        string original = File.ReadAllText(repository);
        string copy = Path.Combine(directory, "reference.conf");
        // The repository's file already carries the notes of the real tune; the copy starts without them, so
        // the two notes this run writes are the only ones.
        string stripped = string.Join('\n', original.Split('\n').Where(l => !l.TrimStart().StartsWith("# cema tune:", StringComparison.Ordinal)));
        File.WriteAllText(copy, stripped);

        // Grids without the starting values (0.8 and 0.01, pinned by --set whatever the file holds), so even the
        // starting point (the nearest grid value: 0.7 and 0.02) differs from the file and the write must change
        // it; one evaluation per method.
        string outDir = Path.Combine(directory, "out");
        var (code, stdout, stderr) = CliTests.RunCema("tune", "--methods", "cema,tent", "--limit", "16", "--budget", "1",
            "--models", models, "--write", "--reference", copy, "--out", outDir,
            "--set", "cema.adapt.selector.redundancy-epsilon=0.8", "--set", "cema.adapt.tent.lr=0.01",
            "--set", "cema.tune.grid.cema.\"selector.redundancy-epsilon\"=[0.6, 0.7]",
            "--set", "cema.tune.grid.tent.\"tent.lr\"=[0.02, 0.03]");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("seeds: stream", stdout);
        Assert.Contains("speckle_noise:5, gaussian_blur:5, spatter:5, saturate:5", stdout);

        string edited = File.ReadAllText(copy);
        Assert.Equal(original, File.ReadAllText(repository));
        var before = stripped.Split('\n');
        var after = edited.Split('\n');
        Assert.Equal(before.Length + 2, after.Length);
        Assert.Contains(after, l => l.Trim() == "redundancy-epsilon = 0.7");
        Assert.Contains(after, l => l.Trim() == "lr = 0.02");
        var notes = after.Where(l => l.TrimStart().StartsWith("# cema tune:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, notes.Length);
        Assert.All(notes, n => Assert.Contains("validation corruptions", n));
        // Removing the two notes and the two edited lines leaves the original minus its two old lines.
        var rest = after.Where(l => !l.TrimStart().StartsWith("# cema tune:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(before.Length, rest.Length);
        Assert.Equal(2, before.Zip(rest).Count(p => p.First != p.Second));

        var json = Directory.GetFiles(outDir, "tune-*.json").Single();
        Assert.True(File.Exists(Path.ChangeExtension(json, ".md")));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("validation", doc.RootElement.GetProperty("split").GetString());
        var cema = doc.RootElement.GetProperty("methods").GetProperty("cema");
        Assert.Equal(1, cema.GetProperty("trials").GetArrayLength());
        Assert.Equal(0.7, cema.GetProperty("chosen").GetProperty("selector.redundancy-epsilon").GetDouble());
        Assert.Equal(0.02, doc.RootElement.GetProperty("methods").GetProperty("tent").GetProperty("chosen").GetProperty("tent.lr").GetDouble());
        Assert.InRange(cema.GetProperty("best").GetProperty("accuracy").GetDouble(), 0, 100);
    }

    [Fact]
    public void Methods_without_a_grid_are_refused()
    {
        var (code, _, stderr) = CliTests.RunCema("tune", "--methods", "cema,bn");
        Assert.Equal(1, code);
        Assert.Contains("bn", stderr);
    }
}
