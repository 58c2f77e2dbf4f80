using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Actors;

/// <summary>Long work runs off the mailbox and comes back as a message.</summary>
public sealed class PipeToTests : ActorTestKit
{
    private sealed record Work(Task<int> Job);

    private sealed record Ping;

    private sealed class Worker : ReceiveActor
    {
        public Worker(IActorRef probe)
        {
            Receive<Work>(work => work.Job.PipeTo(Self));
            Receive<int>(result => probe.Tell($"result {result}"));
            Receive<Status.Failure>(failure => probe.Tell($"failed {failure.Cause.Message}"));
            Receive<Ping>(_ => probe.Tell("pong"));
        }
    }

    [Fact]
    public async Task ASuccessfulTaskArrivesAsItsResult()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Worker(TestActor)));

        worker.Tell(new Work(Task.Run(() => 6 * 7)));

        await TestActor.ExpectMsgAsync("result 42");
    }

    private static int Fail() => throw new IOException("disk gone");

    [Fact]
    public async Task AFailedTaskArrivesAsStatusFailure()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Worker(TestActor)));

        worker.Tell(new Work(Task.Run(Fail)));

        await TestActor.ExpectMsgAsync("failed disk gone");
    }

    [Fact]
    public async Task TheActorKeepsAnsweringWhileTheWorkRuns()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Worker(TestActor)));
        var job = new TaskCompletionSource<int>();

        worker.Tell(new Work(job.Task));
        worker.Tell(new Ping());

        await TestActor.ExpectMsgAsync("pong");
        job.SetResult(7);
        await TestActor.ExpectMsgAsync("result 7");
    }
}
