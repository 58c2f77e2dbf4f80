using Cema.Actors.Configuration;

namespace Cema.Cli.Demo;

/// <summary><c>cema.demo</c>: what <c>cema demo</c> runs; its command-line options override these.</summary>
/// <param name="Edges">Edge devices, each an EdgeActor with its own stream.</param>
/// <param name="Severity">Corruption severity of every segment, 1–5.</param>
/// <param name="SamplesPerEdge">Frames each edge sees in all, split evenly over its corruptions.</param>
/// <param name="CorruptionsPerEdge">How many of the 15 test corruptions each edge visits, in an order of its own.</param>
/// <param name="Seed">Seed of the orders, the image order and corruption noise of every stream, and the cloud's replay draws.</param>
/// <param name="BatchSize">Frames per edge batch.</param>
/// <param name="Out">Directory of results.json and report.html.</param>
/// <param name="Refresh">Live view refresh on a terminal.</param>
/// <param name="PlainInterval">Interval of the plain status lines when output is not a terminal.</param>
internal sealed record DemoSettings(int Edges, int Severity, int SamplesPerEdge, int CorruptionsPerEdge, ulong Seed, int BatchSize, string Out,
    TimeSpan Refresh, TimeSpan PlainInterval)
{
    public static DemoSettings FromConfig(Config config)
    {
        var c = config.GetConfig("cema.demo");
        return new DemoSettings(c.GetInt("edges"), c.GetInt("severity"), c.GetInt("samples-per-edge"), c.GetInt("corruptions-per-edge"),
            c.GetSeed("seed"), c.GetInt("batch-size"), c.GetString("out"), c.GetDuration("refresh"), c.GetDuration("plain-interval"));
    }

    /// <summary>The per-corruption share of <see cref="SamplesPerEdge"/>.</summary>
    public int FramesPerCorruption => SamplesPerEdge / CorruptionsPerEdge;

    /// <summary>The first setting out of range, named as on the command line and in cema.demo; null when all are fine.</summary>
    public string? Problem(int testImages, int corruptions)
    {
        if (Edges < 1) return $"--edges (cema.demo.edges) must be at least 1, got {Edges}";
        if (Severity is < 1 or > 5) return $"--severity (cema.demo.severity) must be 1–5, got {Severity}";
        if (CorruptionsPerEdge < 1 || CorruptionsPerEdge > corruptions)
            return $"cema.demo.corruptions-per-edge must be 1–{corruptions}, got {CorruptionsPerEdge}";
        if (SamplesPerEdge < CorruptionsPerEdge)
            return $"--samples-per-edge (cema.demo.samples-per-edge) must give each of the {CorruptionsPerEdge} corruptions a frame, got {SamplesPerEdge}";
        if (FramesPerCorruption > testImages)
            return $"--samples-per-edge (cema.demo.samples-per-edge) {SamplesPerEdge} asks for {FramesPerCorruption} frames per corruption; the test set has {testImages}";
        if (BatchSize < 1) return $"cema.demo.batch-size must be positive, got {BatchSize}";
        if (Refresh <= TimeSpan.Zero) return $"cema.demo.refresh must be positive, got {Refresh}";
        if (PlainInterval <= TimeSpan.Zero) return $"cema.demo.plain-interval must be positive, got {PlainInterval}";
        return null;
    }
}
