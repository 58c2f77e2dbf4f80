using Cema.Models.Data;

namespace Cema.Cli.Demo;

/// <summary>One edge's stream: its corruption order and the seed of its images' order and noise.</summary>
internal sealed record DemoStream(string Edge, ulong StreamSeed, IReadOnlyList<ShiftSegment> Order, ShiftStream Stream);

/// <summary>
/// Each edge's continual stream: the 15 test corruptions at one severity in an order drawn for that edge
/// from the demo seed (the first <see cref="DemoSettings.CorruptionsPerEdge"/> of it), each with
/// <see cref="DemoSettings.FramesPerCorruption"/> test images in the stream's own order, no reset between them.
/// </summary>
internal static class DemoStreams
{
    public static string EdgeName(int index) => $"edge-{index}";

    public static IReadOnlyList<DemoStream> Build(Dataset test, DemoSettings settings)
    {
        var streams = new List<DemoStream>();
        for (int i = 0; i < settings.Edges; i++)
        {
            var names = Corruption.Test.Select(c => c.Name).ToArray();
            SeededRandom.For(settings.Seed, "demo-order", i, 0).Shuffle(names.AsSpan());
            var order = names.Take(settings.CorruptionsPerEdge).Select(n => new ShiftSegment(n, settings.Severity)).ToArray();
            ulong streamSeed = SeededRandom.Hash(settings.Seed, "demo-stream", i, 0);
            var stream = new ShiftStream(test, order, ShiftMode.Continual, settings.BatchSize, streamSeed, settings.FramesPerCorruption);
            streams.Add(new DemoStream(EdgeName(i), streamSeed, order, stream));
        }
        return streams;
    }
}
