using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Actors.Distiller;

/// <summary>
/// Runs CEMA cloud steps (<see cref="CemaCloudStep"/>) on its own copies of the edge replica and the
/// foundation model. A job's step runs off the mailbox (Task.Run, result piped to Self), one at a
/// time: jobs arriving meanwhile wait in order. Before each step the session's parameters and optimizer
/// momentum are written into the models and optimizers, so one distiller serves any session, and any
/// distiller of the pool can take a session's next step. A step that throws fails the actor; its
/// supervisor restarts it (fresh models from <see cref="DistillerModels"/>) and the failed job is
/// delivered first to the new instance (<see cref="RedeliverOnRestart"/>), the waiting ones after it.
/// </summary>
public sealed class DistillerActor : ReceiveActor
{
    private sealed record StepDone(DistillJob Job, IActorRef ReplyTo, DistillResult Result);
    private sealed record StepFailed(DistillJob Job, IActorRef ReplyTo, Exception Cause);

    /// <summary>The test hook's budget, shared by every instance made from one Props (restarts and routees).</summary>
    private sealed class FailureBudget(int failures)
    {
        private int remaining = failures;
        public bool TakeOne() => Interlocked.Decrement(ref remaining) >= 0;
    }

    private readonly ResNet edge;
    private readonly ResNet foundation;
    private readonly NormParams initialEdge;
    private readonly NormParams initialFoundation;
    private readonly FailureBudget failures;
    private readonly Queue<(DistillJob Job, IActorRef ReplyTo)> waiting = new();
    private CemaCloudStep? step;
    private bool busy;

    private DistillerActor(DistillerModels models, FailureBudget failures)
    {
        ArgumentNullException.ThrowIfNull(models);
        this.failures = failures;
        edge = models.BuildEdge();
        foundation = models.BuildFoundation();
        initialEdge = NormParams.From(edge, 0);
        initialFoundation = NormParams.From(foundation, 0);

        Receive<DistillJob>(job =>
        {
            waiting.Enqueue((job, Sender));
            StartNext();
        });
        Receive<StepDone>(done =>
        {
            busy = false;
            done.ReplyTo.Tell(done.Result, Self);
            StartNext();
        });
        Receive<StepFailed>(failed => throw new DistillStepException(failed.Job, failed.Cause));
    }

    /// <summary>One distiller.</summary>
    public static Props Props(DistillerModels models, DistillerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(models);
        var budget = new FailureBudget((settings ?? throw new ArgumentNullException(nameof(settings))).Validate().FailFirstJobs);
        return Runtime.Props.Create(() => new DistillerActor(models, budget));
    }

    /// <summary>A pool of <see cref="DistillerSettings.PoolSize"/> distillers (smallest mailbox first).</summary>
    public static Props PoolProps(DistillerModels models, DistillerSettings settings) =>
        Props(models, settings).WithRouter(settings.Pool());

    private void StartNext()
    {
        if (busy || waiting.Count == 0) return;
        var (job, replyTo) = waiting.Dequeue();
        busy = true;
        _ = Task.Run(() => Run(job)).PipeTo(Self, replyTo,
            success: result => new StepDone(job, replyTo, result),
            failure: ex => new StepFailed(job, replyTo, ex));
    }

    // Runs on a pool thread with the models to itself (one step at a time); the tensors live in this thread's scope.
    private DistillResult Run(DistillJob job)
    {
        if (failures.TakeOne()) throw new InvalidOperationException($"injected failure of job {job.JobId} (DistillerSettings.FailFirstJobs)");
        if (step is null || step.Settings != job.Settings)
        {
            step?.Dispose();
            step = new CemaCloudStep(foundation, edge, job.Settings);
        }
        Load(edge, job.EdgeParams, initialEdge);
        Load(foundation, job.FoundationParams, initialFoundation);
        step.ImportOptimizerState(job.Optimizer);

        CloudStepResult losses;
        using (torch.NewDisposeScope())
        {
            var replay = job.ReplayCount > 0 ? ImageTensors.ToTensor(job.ReplayPixels, job.ReplayCount) : null;
            if (job.ReplayOnly)
            {
                losses = step.ReplayOnlyStep(replay ?? throw new ArgumentException($"job {job.JobId} has neither new nor replayed samples", nameof(job)));
            }
            else
            {
                losses = step.Step(ImageTensors.ToTensor(job.NewPixels, job.NewCount), replay);
            }
        }
        long version = job.Version + 1;
        return new DistillResult(job.Session, job.JobId, job.Version, NormParams.From(edge, version), NormParams.From(foundation, version), losses,
            step.ExportOptimizerState());
    }

    // A session's parameters, or for its first step the source ones with the running statistics left to
    // that step's batch: what test-time renormalization does when it starts (the simulator's cloud too).
    private static void Load(ResNet model, NormParams? session, NormParams initial)
    {
        (session ?? initial).ApplyTo(model);
        if (session is not null) return;
        foreach (var (_, layer) in NormLayers.Of(model)) layer.ResetRunningStatsOnNextBatch();
    }

    protected override object? RedeliverOnRestart(object message, Exception cause) => message switch
    {
        DistillJob job => job,
        StepFailed failed => failed.Job,
        _ => null,
    };

    protected override void PreRestart(Exception reason, object? message)
    {
        // The failed job comes back through RedeliverOnRestart; the ones waiting behind it go back to the mailbox.
        foreach (var (job, replyTo) in waiting) Self.Tell(job, replyTo);
        waiting.Clear();
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        // A step still running owns the models; the finalizers free them after it.
        if (busy) return;
        step?.Dispose();
        edge.Dispose();
        foundation.Dispose();
    }
}
