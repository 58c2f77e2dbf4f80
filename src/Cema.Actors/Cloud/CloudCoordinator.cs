using Cema.Actors.Distiller;
using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cloud;

/// <summary>
/// The cloud side of CEMA, with the offline simulator's rules per edge batch (docs/SIMULATION.md). Each
/// <see cref="Upload"/> is one edge batch's selected samples (possibly none). They go to the replay actor
/// and wait per session; every <see cref="ReplaySettings.NewPerStep"/> of them make a step, queued in
/// order, with <see cref="ReplaySettings.ReplayedPerStep"/> replayed samples once the session buffered
/// <see cref="ReplaySettings.MinimumForReplay"/>; an edge batch that makes no step queues CEMA's
/// replay-only step when the buffer holds enough (at most one waits at a time). One job per session is in
/// flight; each result bumps the session's version and is published on <c>params/&lt;session&gt;</c>, and
/// an upload with a sequence number is answered with <see cref="UploadHandled"/> once every step queued up
/// to it has been published. <see cref="LatestParamsRequest"/> returns the latest in full.
/// A job without a result within <see cref="CloudCoordinatorSettings.JobTimeout"/> is sent again (same job id);
/// a result for a version the session has moved past is ignored.
/// </summary>
public sealed class CloudCoordinator : ReceiveActor
{
    /// <summary>A queued step: 32 fresh samples (Fresh) or, when Fresh is null, a replay-only step.</summary>
    private sealed record Work(long Id, byte[][]? Fresh);

    /// <summary>An upload whose sender waits to hear that every step queued up to it (UpTo) is done.</summary>
    private sealed record Ack(IActorRef ReplyTo, string Edge, long Sequence, long UpTo);

    private sealed class Session(string name, ulong drawSeed)
    {
        public string Name { get; } = name;
        public ulong DrawSeed { get; } = drawSeed;
        public long Version { get; set; }
        /// <summary>The highest version an edge of this session reported running: above <see cref="Version"/> only
        /// when this coordinator started after that edge's last update (a restart loses the sessions).</summary>
        public long EdgeVersion { get; set; }
        public NormParams? Edge { get; set; }
        public NormParams? Foundation { get; set; }
        public CloudOptimizerState? Optimizer { get; set; }
        public Queue<byte[]> Pending { get; } = new();
        public List<Work> Queued { get; } = new();
        public List<Ack> Acks { get; } = new();
        public long NextWorkId { get; set; }
        public long SamplesReceived { get; set; }
        public long Buffered { get; set; }
        public long PendingDropped { get; set; }
        public long JobsCompleted { get; set; }
        public long ReplayOnlySteps { get; set; }
        public long ReplayOnlyCoalesced { get; set; }
        public Work? Running { get; set; }
        public bool AwaitingReplay { get; set; }
        public long RunningJobId { get; set; }
        public DistillJob? Job { get; set; }

        public int WaitingSamples => Pending.Count + Queued.Sum(w => w.Fresh?.Length ?? 0);
    }

    private readonly CloudCoordinatorSettings settings;
    private readonly IActorRef replay;
    private readonly IActorRef distillers;
    private readonly IActorRef mediator;
    private readonly Dictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private long nextJobId;
    private long published;
    private long rejected;
    private long resent;

    private sealed record JobTimedOut(string Session, long JobId);

    public CloudCoordinator(CloudCoordinatorSettings settings, IActorRef replay, IActorRef distillers)
    {
        this.settings = (settings ?? throw new ArgumentNullException(nameof(settings))).Validate();
        this.replay = replay ?? throw new ArgumentNullException(nameof(replay));
        this.distillers = distillers ?? throw new ArgumentNullException(nameof(distillers));
        mediator = TopicMediator.Get(Context.System).Mediator;

        Receive<Upload>(OnUpload);
        Receive<Sample>(OnReplaySample);
        Receive<DistillResult>(OnResult);
        Receive<LatestParamsRequest>(OnLatest);
        Receive<JobTimedOut>(OnJobTimedOut);
        Receive<GetCoordinatorStats>(_ => Sender.Tell(Stats()));
    }

    public static Props Props(CloudCoordinatorSettings settings, IActorRef replay, IActorRef distillers) =>
        Runtime.Props.Create(() => new CloudCoordinator(settings, replay, distillers));

    private Session SessionNamed(string name)
    {
        if (!sessions.TryGetValue(name, out var session))
        {
            // The n-th session draws its replay from the simulator's n-th session stream (seed, "replay", n).
            session = new Session(name, SeededRandom.Hash(settings.Seed, "replay", sessions.Count, 0));
            sessions.Add(name, session);
        }
        return session;
    }

    private void OnUpload(Upload upload)
    {
        if (upload.Count < 0 || upload.Pixels.Length != upload.Count * Dataset.PixelsPerImage)
        {
            rejected++;
            Context.GetLogger().LogWarning("Coordinator: rejected an upload of edge {Edge}: {Bytes} bytes are not {Count} images of {ImageBytes}",
                upload.Edge, upload.Pixels.Length, upload.Count, Dataset.PixelsPerImage);
            return;
        }
        var session = SessionNamed(settings.SessionPerGroup ? upload.Group : upload.Edge);
        if (upload.Version > Math.Max(session.Version, session.EdgeVersion))
        {
            Context.GetLogger().LogWarning("Coordinator: edge {Edge} runs version {EdgeVersion} of session {Session}, which is at {Version} here " +
                "(this coordinator started after that update); the session's next update will be {Next}, so the edge takes it",
                upload.Edge, upload.Version, session.Name, session.Version, upload.Version + 1);
            session.EdgeVersion = upload.Version;
        }
        if (upload.Count > 0) replay.Tell(new Append(session.Name, upload.Pixels, upload.Count), Self);
        for (int i = 0; i < upload.Count; i++)
            session.Pending.Enqueue(upload.Pixels.AsSpan(i * Dataset.PixelsPerImage, Dataset.PixelsPerImage).ToArray());
        session.SamplesReceived += upload.Count;
        session.Buffered = Math.Min(settings.Replay.Capacity, session.Buffered + upload.Count);

        int step = settings.Replay.NewPerStep;
        bool stepMade = false;
        while (session.Pending.Count >= step)
        {
            var fresh = new byte[step][];
            for (int i = 0; i < step; i++) fresh[i] = session.Pending.Dequeue();
            session.Queued.Add(new Work(++session.NextWorkId, fresh));
            stepMade = true;
        }
        if (settings.Replay.WantsReplayOnlyStep(stepMade, (int)Math.Min(session.Buffered, int.MaxValue)))
        {
            // Uploads faster than the pool would otherwise pile replay-only steps up; one waiting stands for all.
            if (session.Queued.Any(w => w.Fresh is null)) session.ReplayOnlyCoalesced++;
            else session.Queued.Add(new Work(++session.NextWorkId, null));
        }
        DropOverflow(session);

        if (upload.Sequence >= 0) session.Acks.Add(new Ack(Sender, upload.Edge, upload.Sequence, session.NextWorkId));
        TryStartJob(session);
        AnswerAcks(session);
    }

    // Samples waiting beyond MaxPendingPerSession: the oldest queued steps' samples go first (counted).
    private void DropOverflow(Session session)
    {
        while (session.WaitingSamples > settings.MaxPendingPerSession)
        {
            int oldest = session.Queued.FindIndex(w => w.Fresh is not null);
            if (oldest < 0) break; // only the pending remainder, which is below one step
            session.PendingDropped += session.Queued[oldest].Fresh!.Length;
            session.Queued.RemoveAt(oldest);
        }
    }

    private void TryStartJob(Session session)
    {
        if (session.Running is not null || session.Queued.Count == 0) return;
        var work = session.Queued[0];
        session.Queued.RemoveAt(0);
        session.Running = work;
        session.RunningJobId = ++nextJobId;
        int replayed = work.Fresh is null ? settings.Replay.ReplayOnlyBatch : settings.Replay.ReplayedFor((int)Math.Min(session.Buffered, int.MaxValue));
        if (replayed == 0)
        {
            SendJob(session, [], 0);
            return;
        }
        // The Appends of earlier uploads went to the replay actor before this request, so the draw may include them (as official CEMA's does).
        session.AwaitingReplay = true;
        replay.Tell(new SampleRequest(session.Name, replayed, session.DrawSeed), Self);
    }

    private void OnReplaySample(Sample sample)
    {
        if (!sessions.TryGetValue(sample.Session, out var session) || !session.AwaitingReplay) return;
        session.AwaitingReplay = false;
        session.Buffered = sample.Buffered;
        if (session.Running!.Fresh is null && sample.Count == 0)
        {
            WorkDone(session); // nothing to replay after all (the buffer was emptied): no step, no version
            return;
        }
        SendJob(session, sample.Pixels, sample.Count);
    }

    private void SendJob(Session session, byte[] replayPixels, int replayCount)
    {
        var fresh = session.Running!.Fresh ?? [];
        var pixels = new byte[fresh.Length * Dataset.PixelsPerImage];
        for (int i = 0; i < fresh.Length; i++) fresh[i].CopyTo(pixels, i * Dataset.PixelsPerImage);
        session.Job = new DistillJob(session.Name, session.Version, session.RunningJobId, pixels, fresh.Length, replayPixels, replayCount,
            session.Edge, session.Foundation, settings.Cloud, session.Optimizer);
        Dispatch(session.Job);
    }

    private void Dispatch(DistillJob job)
    {
        distillers.Tell(job, Self);
        Timers.StartSingleTimer(("job", job.Session), new JobTimedOut(job.Session, job.JobId), settings.JobTimeout);
    }

    private void OnJobTimedOut(JobTimedOut timeout)
    {
        if (!sessions.TryGetValue(timeout.Session, out var session) || session.Job is not { } job || job.JobId != timeout.JobId) return;
        resent++;
        Context.GetLogger().LogWarning("Coordinator: no result for job {JobId} of session {Session} within {Timeout}; sending it again",
            job.JobId, job.Session, settings.JobTimeout);
        Dispatch(job);
    }

    private void OnResult(DistillResult result)
    {
        if (!sessions.TryGetValue(result.Session, out var session) || session.Job is not { } job
            || result.JobId != job.JobId || result.BaseVersion != session.Version) return;
        var previous = session.Edge;
        // An edge ignores versions at or below the one it runs, so a session behind its edges (a restarted
        // coordinator) numbers its next update past theirs rather than leave them stale until it catches up.
        session.Edge = result.EdgeParams.Version > session.EdgeVersion
            ? result.EdgeParams
            : new NormParams(session.EdgeVersion + 1, result.EdgeParams.Layout, result.EdgeParams.Values);
        session.Foundation = result.FoundationParams;
        session.Optimizer = result.Optimizer;
        session.Version = session.Edge.Version;
        session.JobsCompleted++;
        if (job.ReplayOnly) session.ReplayOnlySteps++;
        Timers.Cancel(("job", session.Name));

        bool delta = settings.Encoding == NormParamsEncoding.Fp16Delta && previous is not null;
        var update = delta
            ? new ParamsUpdated(session.Name, session.Version, session.Edge.Encode(NormParamsEncoding.Fp16Delta, previous), NormParamsEncoding.Fp16Delta, previous!.Version)
            : Full(session);
        mediator.Tell(new Publish(ParamsTopic.For(session.Name), update), Self);
        published++;
        WorkDone(session);
    }

    private void WorkDone(Session session)
    {
        session.Running = null;
        session.Job = null;
        TryStartJob(session);
        AnswerAcks(session);
    }

    // An upload is handled once no step queued up to it is waiting or running.
    private void AnswerAcks(Session session)
    {
        if (session.Acks.Count == 0) return;
        long firstOpen = Math.Min(session.Running?.Id ?? long.MaxValue, session.Queued.Count > 0 ? session.Queued.Min(w => w.Id) : long.MaxValue);
        session.Acks.RemoveAll(ack =>
        {
            if (ack.UpTo >= firstOpen) return false;
            ack.ReplyTo.Tell(new UploadHandled(ack.Edge, session.Name, ack.Sequence, session.Version), Self);
            return true;
        });
    }

    private ParamsUpdated Full(Session session)
    {
        var encoding = settings.Encoding == NormParamsEncoding.Fp16Delta ? NormParamsEncoding.Fp16 : settings.Encoding;
        return new ParamsUpdated(session.Name, session.Version, session.Edge!.Encode(encoding), encoding, -1);
    }

    private void OnLatest(LatestParamsRequest request)
    {
        if (sessions.TryGetValue(request.Group, out var session) && session.Edge is not null) Sender.Tell(Full(session));
        else Sender.Tell(new NoParamsYet(request.Group));
    }

    private CoordinatorStats Stats() => new(
        sessions.Values.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new SessionStats(s.Name, s.Version, s.SamplesReceived, s.WaitingSamples, s.PendingDropped, s.JobsCompleted, s.Running is not null,
                s.Queued.Count, s.ReplayOnlySteps, s.ReplayOnlyCoalesced))
            .ToArray(),
        published,
        rejected,
        resent);
}
