using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Supervision;

public sealed class RestartTests : ActorTestKit
{
    private static readonly SupervisorStrategy RestartAtOnce = new OneForOneStrategy(_ => Directive.Restart);

    [Fact]
    public async Task RestartCreatesAFreshInstanceRunsTheHooksAndKeepsTheMailbox()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new Restartable(TestActor)), RestartAtOnce, null)));
        var first = (await ExpectMsgAsync<Hook>(predicate: h => h.Name == "PreStart")).Instance;
        Assert.Equal(1, await supervisor.Ask<int>("count"));
        Assert.Equal(2, await supervisor.Ask<int>("count"));

        // Queued behind the failing message: must survive the restart.
        supervisor.Tell("boom");
        var afterRestart = supervisor.Ask<int>("count");

        Assert.Equal(new Hook("PreRestart", first, "boom"), await ExpectMsgAsync<Hook>());
        Assert.Equal(new Hook("PostStop", first), await ExpectMsgAsync<Hook>());
        var restarted = await ExpectMsgAsync<Hook>(predicate: h => h.Name == "PostRestart");
        Assert.NotEqual(first, restarted.Instance);
        Assert.Equal("boom", restarted.Detail);
        Assert.Equal(new Hook("PreStart", restarted.Instance), await ExpectMsgAsync<Hook>());
        Assert.Equal(1, await afterRestart);
        Assert.Equal(restarted.Instance, await supervisor.Ask<int>("id"));
        var child = await supervisor.Ask<IActorRef>("child");
        Assert.Equal(1, Sys.GetStats().For(child)!.Restarts);
    }

    private sealed record Job(int Id);

    private sealed record Attempt(int JobId, int Number);

    private sealed record Done(int JobId);

    /// <summary>Fails each job's first <c>failures</c> attempts; opts in to redelivery if asked to.</summary>
    private sealed class FlakyWorker : ReceiveActor
    {
        private readonly bool _redeliver;

        public FlakyWorker(IActorRef probe, Dictionary<int, int> attempts, int failures, bool redeliver)
        {
            _redeliver = redeliver;
            Receive<Job>(job =>
            {
                // Attempts live outside the instance: a restart must not reset them.
                int number;
                lock (attempts)
                {
                    attempts[job.Id] = number = attempts.GetValueOrDefault(job.Id) + 1;
                }
                probe.Tell(new Attempt(job.Id, number));
                if (number <= failures)
                {
                    throw new IOException($"job {job.Id} attempt {number} failed");
                }
                probe.Tell(new Done(job.Id));
            });
        }

        protected override object? RedeliverOnRestart(object message, Exception cause) => _redeliver && message is Job ? message : null;
    }

    private IActorRef StartWorker(int failures, bool redeliver, SupervisorStrategy? strategy = null)
    {
        var attempts = new Dictionary<int, int>();
        var worker = Props.Create(() => new FlakyWorker(TestActor, attempts, failures, redeliver));
        return Sys.ActorOf(Props.Create(() => new Supervisor(worker, strategy ?? RestartAtOnce, TestActor)));
    }

    [Fact]
    public async Task ByDefaultTheFailedMessageIsNotRetried()
    {
        var supervisor = StartWorker(failures: 1, redeliver: false);

        supervisor.Tell(new Job(1));
        supervisor.Tell(new Job(2));

        Assert.Equal(new Attempt(1, 1), await ExpectMsgAsync<Attempt>());
        Assert.Equal(new Attempt(2, 1), await ExpectMsgAsync<Attempt>());
        await AwaitConditionAsync(() => Sys.GetStats().Actors.Any(a => a.Path.Name == "child" && a.Restarts == 2));
        Assert.Equal(0, Sys.GetStats().DeadLetters);
    }

    [Fact]
    public async Task OptedInRedeliveryRetriesTheFailedMessageOncePerRestartBeforeAnythingElse()
    {
        var supervisor = StartWorker(failures: 2, redeliver: true);

        supervisor.Tell(new Job(1));
        supervisor.Tell(new Job(2));

        Assert.Equal(
            [new Attempt(1, 1), new Attempt(1, 2), new Attempt(1, 3), new Done(1), new Attempt(2, 1), new Attempt(2, 2), new Attempt(2, 3), new Done(2)],
            await TestActor.ReceiveNAsync(8));
        var child = await supervisor.Ask<IActorRef>("child");
        Assert.Equal(4, Sys.GetStats().For(child)!.Restarts);
    }

    [Fact]
    public async Task ARedeliveredMessageThatOutlivesTheRetryLimitBecomesADeadLetter()
    {
        var limited = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var supervisor = StartWorker(failures: int.MaxValue, redeliver: true, limited);

        supervisor.Tell(new Job(7));

        Assert.Equal([new Attempt(7, 1), new Attempt(7, 2), new Attempt(7, 3)], await TestActor.ReceiveNAsync(3));
        await ExpectMsgAsync<Terminated>();
        var letter = await deadLetters.ExpectMsgAsync<DeadLetter>();
        Assert.Equal(new Job(7), letter.Message);
    }

    private sealed record JobFailed(Job Job, Exception Cause);

    /// <summary>
    /// The DistillerActor shape: the work runs off the mailbox and is piped back; a failure comes
    /// back as JobFailed, whose handler throws so the supervisor restarts the actor, and
    /// RedeliverOnRestart maps the failure back to its job.
    /// </summary>
    private sealed class PipingWorker : ReceiveActor
    {
        public PipingWorker(IActorRef probe, Dictionary<int, int> attempts)
        {
            Receive<Job>(job =>
            {
                int number;
                lock (attempts)
                {
                    attempts[job.Id] = number = attempts.GetValueOrDefault(job.Id) + 1;
                }
                probe.Tell(new Attempt(job.Id, number));
                Task.Run(() => number == 1 ? throw new IOException("first attempt fails") : job.Id)
                    .PipeTo(Self, Sender, success: id => new Done(id), failure: ex => new JobFailed(job, ex));
            });
            Receive<JobFailed>(failed => throw new InvalidOperationException($"job {failed.Job.Id} failed", failed.Cause));
            Receive<Done>(done => probe.Tell(done));
        }

        protected override object? RedeliverOnRestart(object message, Exception cause) => message switch
        {
            Job job => job,
            JobFailed failed => failed.Job,
            _ => null,
        };
    }

    [Fact]
    public async Task RedeliveryCanRetryTheJobBehindAPipedFailure()
    {
        var attempts = new Dictionary<int, int>();
        Sys.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new PipingWorker(TestActor, attempts)), RestartAtOnce, null)))
            .Tell(new Job(3));

        Assert.Equal([new Attempt(3, 1), new Attempt(3, 2), new Done(3)], await TestActor.ReceiveNAsync(3));
    }
}
