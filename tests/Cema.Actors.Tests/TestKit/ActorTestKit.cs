using Cema.Actors.Runtime;
using Xunit.Sdk;

namespace Cema.Actors.Tests.TestKit;

/// <summary>
/// Base class for actor tests (Akka.TestKit.Xunit2's TestKit): a fresh <see cref="Sys"/> per
/// test with captured logs, a default probe <see cref="TestActor"/>, and polling helpers.
/// The system is terminated after the test.
/// </summary>
public abstract class ActorTestKit : IAsyncLifetime
{
    protected ActorTestKit(ActorSystemSettings? settings = null)
    {
        Logs = new CapturingLoggerFactory();
        var name = new string(GetType().Name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());
        // A failed test can leave an actor waiting forever; shut down without it in seconds.
        Sys = ActorSystem.Create(name, (settings ?? ActorSystemSettings.Default with { ShutdownTimeout = TimeSpan.FromSeconds(3) }) with { LoggerFactory = Logs });
        TestActor = new TestProbe(Sys, "testActor");
    }

    public ActorSystem Sys { get; }

    public CapturingLoggerFactory Logs { get; }

    /// <summary>The default probe; also the sender of <see cref="Send"/>.</summary>
    public TestProbe TestActor { get; }

    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    public void Send(IActorRef target, object message) => target.Tell(message, TestActor);

    public Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null, Func<T, bool>? predicate = null) =>
        TestActor.ExpectMsgAsync(timeout, predicate);

    public Task ExpectNoMsgAsync(TimeSpan duration) => TestActor.ExpectNoMsgAsync(duration);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null, string? message = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? TestProbe.DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new XunitException($"Condition not met within {limit.TotalMilliseconds:0} ms{(message is null ? "" : ": " + message)}.");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it stops throwing; rethrows its last failure after <paramref name="timeout"/>.</summary>
    public static async Task AwaitAssertAsync(Action assertion, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestProbe.DefaultTimeout);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(10));
            }
        }
    }

    /// <summary>Like <see cref="AwaitAssertAsync(Action, TimeSpan?, TimeSpan?)"/> for assertions that ask actors.</summary>
    public static async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestProbe.DefaultTimeout);
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(10));
            }
        }
    }

    public static void AwaitCondition(Func<bool> condition, TimeSpan? timeout = null, string? message = null) =>
        AwaitConditionAsync(condition, timeout, message).GetAwaiter().GetResult();

    public static void AwaitAssert(Action assertion, TimeSpan? timeout = null) =>
        AwaitAssertAsync(assertion, timeout).GetAwaiter().GetResult();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Sys.Terminate().WaitAsync(Sys.Settings.ShutdownTimeout * 2 + TimeSpan.FromSeconds(10));
}
