using System.Text.Json;

namespace Cema.Cli.Tests.Demo;

/// <summary>
/// One small <c>cema demo</c> run as a real process (the shipped models, real Fashion-MNIST-C frames, the
/// actors in one process), shared by the tests of its output: 2 edges, 1 distiller, 3 corruptions of 128
/// frames each per edge (6 batches of 64), seed 7. The redundancy rule is off, so that whatever threshold
/// reference.conf holds a third or so of the frames go up and the cloud has steps to run.
/// </summary>
public sealed class TinyDemoRun : IDisposable
{
    public const int Edges = 2, Distillers = 1, SamplesPerEdge = 384, Corruptions = 3, BatchSize = 64;
    public const ulong Seed = 7;

    public TinyDemoRun()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"cema-demo-{Guid.NewGuid():N}");
        (ExitCode, Stdout, Stderr) = CliTests.RunCema("demo", "--edges", $"{Edges}", "--distillers", $"{Distillers}", "--samples-per-edge", $"{SamplesPerEdge}",
            "--seed", $"{Seed}", "--set", $"cema.demo.corruptions-per-edge={Corruptions}", "--set", "cema.adapt.selector.exclude-redundant=false", "--out", Directory);
        if (File.Exists(ResultsPath)) Results = JsonDocument.Parse(File.ReadAllText(ResultsPath)).RootElement.Clone();
        if (File.Exists(ReportPath)) Html = File.ReadAllText(ReportPath);
    }

    public string Directory { get; }
    public int ExitCode { get; }
    public string Stdout { get; }
    public string Stderr { get; }
    public JsonElement Results { get; }
    public string Html { get; } = "";

    public string ResultsPath => Path.Combine(Directory, "results.json");
    public string ReportPath => Path.Combine(Directory, "report.html");

    /// <summary>Fails the calling test with the run's output unless the run succeeded.</summary>
    public void AssertSucceeded() => Assert.True(ExitCode == 0 && File.Exists(ResultsPath) && File.Exists(ReportPath), $"exit {ExitCode}\n{Stderr}\n{Stdout}");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TinyDemoCollection : ICollectionFixture<TinyDemoRun>
{
    public const string Name = "tiny cema demo run";
}
