using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Refs;

public sealed class AskTests : ActorTestKit
{
    private sealed record Question(int Value);

    private sealed record Ignored;

    private sealed class Answerer : ReceiveActor
    {
        public Answerer()
        {
            Receive<Question>(q => Sender.Tell(q.Value * 2));
            Receive<string>(s => Sender.Tell(new Status.Failure(new InvalidOperationException(s))));
            Receive<Ignored>(_ => { });
        }
    }

    [Fact]
    public async Task AskCompletesWithTheReply()
    {
        var answerer = Sys.ActorOf(Props.Create(() => new Answerer()), "answerer");

        Assert.Equal(42, await answerer.Ask<int>(new Question(21), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AskTimeoutNamesTheActorAndTheMessageType()
    {
        var answerer = Sys.ActorOf(Props.Create(() => new Answerer()), "silent");

        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => answerer.Ask<int>(new Ignored(), TimeSpan.FromMilliseconds(100)));

        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Contains("/user/silent", error.Message);
        Assert.Contains(nameof(Ignored), error.Message);
        Assert.Equal(typeof(Ignored), error.MessageType);
    }

    [Fact]
    public async Task AFailureReplyIsRethrown()
    {
        var answerer = Sys.ActorOf(Props.Create(() => new Answerer()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => answerer.Ask<int>("no such job"));

        Assert.Equal("no such job", error.Message);
    }

    [Fact]
    public async Task AReplyOfTheWrongTypeSaysWhatCame()
    {
        var answerer = Sys.ActorOf(Props.Create(() => new Answerer()));

        var error = await Assert.ThrowsAsync<InvalidCastException>(() => answerer.Ask<string>(new Question(1)));

        Assert.Contains("Int32", error.Message);
    }
}
