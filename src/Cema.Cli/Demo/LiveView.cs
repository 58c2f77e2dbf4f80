using System.Globalization;
using Cema.Actors.Embedded;

namespace Cema.Cli.Demo;

/// <summary>
/// The demo's live view: a block of lines (one per edge, one for the cloud) redrawn in place on a terminal
/// (cursor up, clear line) at every snapshot; when output is not a terminal, the same block as plain lines
/// at most every <c>plainInterval</c>, so logs stay short.
/// </summary>
internal sealed class LiveView(TextWriter writer, bool interactive, TimeSpan plainInterval, IReadOnlyList<DemoStream> streams)
{
    private int drawnLines;
    private DateTime lastPlain = DateTime.MinValue;
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);
    private readonly Queue<(TimeSpan At, long Steps)> recent = new();

    public static LiveView ForConsole(TimeSpan plainInterval, IReadOnlyList<DemoStream> streams) =>
        new(Console.Out, !Console.IsOutputRedirected, plainInterval, streams);

    public void Show(EmbeddedSnapshot snapshot, bool force = false)
    {
        long steps = snapshot.Cloud.Sessions.Sum(s => s.JobsCompleted);
        // Steps per second over the last RateWindow: what the pool does now, not since the start.
        recent.Enqueue((snapshot.Elapsed, steps));
        while (recent.Count > 2 && snapshot.Elapsed - recent.Peek().At > RateWindow) recent.Dequeue();
        var (since, before) = recent.Peek();
        double stepsPerSecond = snapshot.Elapsed > since ? (steps - before) / (snapshot.Elapsed - since).TotalSeconds : 0;

        var lines = Lines(snapshot, steps, stepsPerSecond);
        if (interactive)
        {
            if (drawnLines > 0) writer.Write($"\u001b[{drawnLines}A");
            foreach (var line in lines) writer.Write("\u001b[2K" + line + "\n");
            drawnLines = lines.Count;
        }
        else
        {
            var now = DateTime.UtcNow;
            if (!force && now - lastPlain < plainInterval) return;
            lastPlain = now;
            foreach (var line in lines) writer.WriteLine(line);
        }
        writer.Flush();
    }

    private List<string> Lines(EmbeddedSnapshot snapshot, long steps, double stepsPerSecond)
    {
        var lines = new List<string>
        {
            $"elapsed {ProgressLine.Duration(snapshot.Elapsed)}",
            $"{"edge",-8} {"frames",15} {"accuracy",9} {"Source",7} {"upload",7} {"version",8} {"latency",8}  now",
        };
        foreach (var e in snapshot.Edges)
        {
            var s = e.Stats;
            var stream = streams.Single(d => d.Edge == s.Edge);
            long total = (long)stream.Stream.ImagesPerSegment * stream.Order.Count;
            string now = Current(stream, s.FramesSeen);
            string latency = s.LastUpdateLatency is { } l ? $"{l.TotalSeconds:F1}s" : "–";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{s.Edge,-8} {s.FramesSeen + "/" + total,15} {100 * s.Accuracy,8:F1}% {100 * (s.SourceAccuracy ?? 0),6:F1}% {100 * s.UploadRate,6:F1}% {"v" + s.Version,8} {latency,8}  {now}"));
        }
        int queued = snapshot.Cloud.Sessions.Sum(s => s.QueuedSteps + (s.JobInFlight ? 1 : 0));
        int waiting = snapshot.Cloud.Sessions.Sum(s => s.Pending);
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"cloud    queue {queued} steps ({waiting} samples)  steps {steps} ({stepsPerSecond:F2}/s)  pool {snapshot.PoolSize}  published {snapshot.Cloud.UpdatesPublished}"));
        return lines;
    }

    private static string Current(DemoStream stream, long seen)
    {
        int segment = (int)Math.Min(stream.Order.Count - 1, seen / Math.Max(1, stream.Stream.ImagesPerSegment));
        return seen >= (long)stream.Stream.ImagesPerSegment * stream.Order.Count ? "done" : stream.Order[segment].ToString();
    }
}
