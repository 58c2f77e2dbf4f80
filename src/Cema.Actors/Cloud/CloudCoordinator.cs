using Cema.Actors.Distiller;
using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cloud;

/// <summary>
/// The cloud side of CEMA. Uploads go to the replay actor and wait per session; once a session holds
/// <see cref="ReplaySettings.NewPerStep"/> new samples it gets a distill job of those plus replayed ones
/// (drawn from the replay actor once it held <see cref="ReplaySettings.MinimumForReplay"/>), at most one
/// job in flight per session. Each result bumps the session's version and is published on
/// <c>params/&lt;session&gt;</c>; <see cref="LatestParamsRequest"/> returns the latest in full.
/// A job without a result within <see cref="CloudCoordinatorSettings.JobTimeout"/> is sent again (same job id);
/// a result for a version the session has moved past is ignored.
/// </summary>
public sealed class CloudCoordinator : ReceiveActor
{
    private sealed class Session(string name)
    {
        public string Name { get; } = name;
        public long Version { get; set; }
        public NormParams? Edge { get; set; }
        public NormParams? Foundation { get; set; }
        public Queue<byte[]> Pending { get; } = new();
        public long SamplesReceived { get; set; }
        public long Buffered { get; set; }
        public long PendingDropped { get; set; }
        public long JobsCompleted { get; set; }
        public bool InFlight { get; set; }
        public byte[][]? AwaitingReplay { get; set; }
        public DistillJob? Job { get; set; }
        public long AwaitingJobId { get; set; }
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
            session = new Session(name);
            sessions.Add(name, session);
        }
        return session;
    }

    private void OnUpload(Upload upload)
    {
        if (upload.Count <= 0 || upload.Pixels.Length != upload.Count * Dataset.PixelsPerImage)
        {
            rejected++;
            Context.GetLogger().LogWarning("Coordinator: rejected an upload of edge {Edge}: {Bytes} bytes are not {Count} images of {ImageBytes}",
                upload.Edge, upload.Pixels.Length, upload.Count, Dataset.PixelsPerImage);
            return;
        }
        var session = SessionNamed(settings.SessionPerGroup ? upload.Group : upload.Edge);
        replay.Tell(new Append(session.Name, upload.Pixels, upload.Count), Self);
        for (int i = 0; i < upload.Count; i++)
            session.Pending.Enqueue(upload.Pixels.AsSpan(i * Dataset.PixelsPerImage, Dataset.PixelsPerImage).ToArray());
        while (session.Pending.Count > settings.MaxPendingPerSession)
        {
            session.Pending.Dequeue();
            session.PendingDropped++;
        }
        session.SamplesReceived += upload.Count;
        session.Buffered = Math.Min(settings.Replay.Capacity, session.Buffered + upload.Count);
        TryStartJob(session);
    }

    private void TryStartJob(Session session)
    {
        int step = settings.Replay.NewPerStep;
        if (session.InFlight || session.Pending.Count < step) return;
        var fresh = new byte[step][];
        for (int i = 0; i < step; i++) fresh[i] = session.Pending.Dequeue();
        session.InFlight = true;
        long jobId = ++nextJobId;
        int replayed = settings.Replay.ReplayedFor((int)session.Buffered);
        if (replayed == 0)
        {
            SendJob(session, jobId, fresh, [], 0);
            return;
        }
        // The Append of these uploads went to the replay actor before this request, so the draw may include them (as official CEMA's does).
        session.AwaitingReplay = fresh;
        session.AwaitingJobId = jobId;
        ulong seed = SeededRandom.Hash(settings.Seed, "replay/" + session.Name, (int)(jobId & int.MaxValue), 0);
        replay.Tell(new SampleRequest(session.Name, replayed, seed), Self);
    }

    private void OnReplaySample(Sample sample)
    {
        if (!sessions.TryGetValue(sample.Session, out var session) || session.AwaitingReplay is not { } fresh) return;
        session.AwaitingReplay = null;
        session.Buffered = sample.Buffered;
        SendJob(session, session.AwaitingJobId, fresh, sample.Pixels, sample.Count);
    }

    private void SendJob(Session session, long jobId, byte[][] fresh, byte[] replayPixels, int replayCount)
    {
        var pixels = new byte[fresh.Length * Dataset.PixelsPerImage];
        for (int i = 0; i < fresh.Length; i++) fresh[i].CopyTo(pixels, i * Dataset.PixelsPerImage);
        session.Job = new DistillJob(session.Name, session.Version, jobId, pixels, fresh.Length, replayPixels, replayCount,
            session.Edge, session.Foundation, settings.Cloud);
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
        if (!sessions.TryGetValue(result.Session, out var session) || result.BaseVersion != session.Version) return;
        var previous = session.Edge;
        session.Edge = result.EdgeParams;
        session.Foundation = result.FoundationParams;
        session.Version = result.EdgeParams.Version;
        session.JobsCompleted++;
        session.InFlight = false;
        session.Job = null;
        Timers.Cancel(("job", session.Name));

        bool delta = settings.Encoding == NormParamsEncoding.Fp16Delta && previous is not null;
        var update = delta
            ? new ParamsUpdated(session.Name, session.Version, session.Edge.Encode(NormParamsEncoding.Fp16Delta, previous), NormParamsEncoding.Fp16Delta, previous!.Version)
            : Full(session);
        mediator.Tell(new Publish(ParamsTopic.For(session.Name), update), Self);
        published++;
        TryStartJob(session);
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
            .Select(s => new SessionStats(s.Name, s.Version, s.SamplesReceived, s.Pending.Count, s.PendingDropped, s.JobsCompleted, s.InFlight))
            .ToArray(),
        published,
        rejected,
        resent);
}
