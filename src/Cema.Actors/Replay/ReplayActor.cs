using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Replay;

/// <summary>
/// The cloud's replay memory: one <see cref="ReplayBuffer"/> per session (FIFO, bounded by its own count
/// and bytes) and a bound on the bytes of all sessions together, enforced by evicting whole sessions'
/// oldest samples, largest session first.
/// Samples larger than a session's byte bound are ignored with a warning, as are malformed appends. Counts every eviction by cause.
/// Each session's draws continue one seeded stream (see <see cref="SampleRequest"/>).
/// </summary>
public sealed class ReplayActor : ReceiveActor
{
    private sealed class Session(string name, ReplaySettings settings)
    {
        public string Name { get; } = name;
        public ReplayBuffer Buffer { get; } = new(settings);
        public long Appended { get; set; }
        public long EvictedByMemoryBound { get; set; }
        public long EvictedByBuffer => Buffer.Evicted - EvictedByMemoryBound;
        public ulong DrawSeed { get; set; }
        public SeededRandom? Draws { get; set; }
    }

    private readonly ReplayActorSettings settings;
    private readonly Dictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private long rejected;

    public ReplayActor(ReplayActorSettings settings)
    {
        this.settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        Receive<Append>(OnAppend);
        Receive<SampleRequest>(OnSample);
        Receive<GetReplayStats>(_ => Sender.Tell(Stats()));
    }

    public static Props Props(ReplayActorSettings settings) => Runtime.Props.Create(() => new ReplayActor(settings));

    private long TotalBytes => sessions.Values.Sum(s => s.Buffer.Bytes);

    private void OnAppend(Append append)
    {
        if (append.Count <= 0 || append.Pixels.Length == 0 || append.Pixels.Length % append.Count != 0
            || append.Pixels.Length / append.Count > Math.Min(settings.Buffer.MaxBytes, settings.MaxTotalBytes))
        {
            rejected++;
            Context.GetLogger().LogWarning("Replay: ignored an append to session {Session}: {Bytes} bytes do not split into {Count} samples within the byte bounds",
                append.Session, append.Pixels.Length, append.Count);
            return;
        }
        if (!sessions.TryGetValue(append.Session, out var session))
        {
            session = new Session(append.Session, settings.Buffer);
            sessions.Add(append.Session, session);
        }
        session.Buffer.Add(append.Pixels, append.Count);
        session.Appended += append.Count;
        EnforceMemoryBound();
    }

    private void EnforceMemoryBound()
    {
        while (TotalBytes > settings.MaxTotalBytes)
        {
            var largest = sessions.Values.MaxBy(s => s.Buffer.Bytes)!;
            int size = (int)(largest.Buffer.Bytes / largest.Buffer.Count);
            long excess = TotalBytes - settings.MaxTotalBytes;
            int drop = (int)Math.Min(largest.Buffer.Count, Math.Max(1, (excess + size - 1) / size));
            largest.EvictedByMemoryBound += largest.Buffer.EvictOldest(drop);
        }
    }

    private void OnSample(SampleRequest request)
    {
        if (!sessions.TryGetValue(request.Session, out var session) || request.K <= 0)
        {
            Sender.Tell(new Sample(request.Session, [], 0, session?.Buffer.Count ?? 0));
            return;
        }
        int k = Math.Min(request.K, session.Buffer.Count);
        if (session.Draws is null || session.DrawSeed != request.Seed)
        {
            session.Draws = new SeededRandom(request.Seed);
            session.DrawSeed = request.Seed;
        }
        var pixels = session.Buffer.Sample(k, session.Draws);
        Sender.Tell(new Sample(request.Session, pixels, k, session.Buffer.Count));
    }

    private ReplayStats Stats()
    {
        var list = sessions.Values
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new SessionReplayStats(s.Name, s.Buffer.Count, s.Buffer.Bytes, s.Appended, s.EvictedByBuffer, s.EvictedByMemoryBound))
            .ToArray();
        return new ReplayStats(list, TotalBytes, settings.MaxTotalBytes, list.Sum(s => s.EvictedByBuffer + s.EvictedByMemoryBound), rejected);
    }
}
