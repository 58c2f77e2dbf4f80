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

    private string TrainTinyModels()
    {
        string models = Path.Combine(directory, "models");
        foreach (var model in new[] { "edge", "foundation" })
        {
            var (code, stdout, stderr) = CliTests.RunCema("train", "--model", model, "--epochs", "1", "--limit", "128",
                "--out", models, "--checkpoints", Path.Combine(directory, "checkpoints"));
            Assert.True(code == 0, stderr + stdout);
        }
        return models;
    }

    [Fact]
    public void A_tiny_budgeted_tune_writes_its_choice_into_a_copy_of_reference_conf_keeping_everything_else()
    {
        string models = TrainTinyModels();
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
    public void Below_eata_the_cema_cap_is_one_upload_fewer_than_eatas_run_on_the_same_stream()
    {
        string models = TrainTinyModels();
        string outDir = Path.Combine(directory, "out");
        // EATA's selector with no floor and no redundancy filter, so it uploads a countable share of the stream.
        var (code, stdout, stderr) = CliTests.RunCema("tune", "--methods", "cema", "--keys", "selector.redundancy-epsilon", "--limit", "16", "--budget", "2",
            "--models", models, "--out", outDir,
            "--set", "cema.tune.cema-below-eata=true", "--set", "cema.tune.max-upload-rate=100",
            "--set", "cema.adapt.eata-selector.exclude-unreliable=false", "--set", "cema.adapt.eata-selector.e-min-fraction=0", "--set", "cema.adapt.eata-selector.redundancy-epsilon=1.01",
            "--set", "cema.tune.grid.cema.\"selector.redundancy-epsilon\"=[0.6, 1.01]");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("eata at its configured settings", stdout);

        using var doc = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(outDir, "tune-*.json").Single()));
        var eata = doc.RootElement.GetProperty("cema_cap_from_eata");
        long uploads = eata.GetProperty("uploads").GetInt64(), samples = eata.GetProperty("samples").GetInt64();
        Assert.Equal(16 * 4 * 2, samples);
        Assert.InRange(uploads, 2, samples);
        double cap = 100.0 * (uploads - 1) / samples;
        Assert.Equal(cap, eata.GetProperty("cap").GetDouble(), precision: 3);
        // CEMA's objective carries that cap, not max-upload-rate's 100.
        var cema = doc.RootElement.GetProperty("methods").GetProperty("cema");
        Assert.Equal(cap, cema.GetProperty("max_upload_rate").GetDouble(), precision: 9);
        Assert.Contains($"{cap:G}%", cema.GetProperty("objective").GetString());
        Assert.Contains("one upload fewer than EATA's", File.ReadAllText(Directory.GetFiles(outDir, "tune-*.md").Single()));
    }

    [Fact]
    public void Methods_without_a_grid_are_refused()
    {
        var (code, _, stderr) = CliTests.RunCema("tune", "--methods", "cema,bn");
        Assert.Equal(1, code);
        Assert.Contains("bn", stderr);
    }
}
