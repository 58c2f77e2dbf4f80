using Cema.Actors.Runtime;
using Cema.Actors.Tests.TestKit;

namespace Cema.Actors.Tests.Runtime.Supervision;

/// <summary>Back-off and retry limits, checked on the computed delays rather than on elapsed time.</summary>
public sealed class BackoffTests : ActorTestKit
{
    private static readonly RestartBackoff Backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0, TimeSpan.FromSeconds(5));

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void DelayDoublesFromTheMinimumUpToTheMaximum()
    {
        var delays = Enumerable.Range(0, 7).Select(n => Backoff.DelayFor(n, random01: 0.5)).ToArray();

        Assert.Equal([Ms(100), Ms(200), Ms(400), Ms(800), Ms(1000), Ms(1000), Ms(1000)], delays);
    }

    [Fact]
    public void TheRandomFactorStretchesTheDelayByAtMostItsShare()
    {
        var jittered = Backoff with { RandomFactor = 0.2 };

        Assert.Equal(Ms(400), jittered.DelayFor(2, random01: 0));
        Assert.Equal(Ms(440), jittered.DelayFor(2, random01: 0.5));
        Assert.Equal(Ms(1200), jittered.DelayFor(10, random01: 1));
        Assert.Equal(TimeSpan.Zero, RestartBackoff.Immediate.DelayFor(5, 1));
    }

    [Fact]
    public void TheBackoffCountResetsAfterAStablePeriod()
    {
        var stats = new ChildRestartStats();

        Assert.Equal(Ms(100), stats.NextRestartDelay(Backoff, TimeSpan.Zero, 0));
        Assert.Equal(Ms(200), stats.NextRestartDelay(Backoff, Ms(150), 0));
        Assert.Equal(Ms(400), stats.NextRestartDelay(Backoff, Ms(400), 0));
        // Restarted at 400 + 400 ms; stable means ResetAfter (5 s) past that, not past the failure.
        Assert.Equal(Ms(800), stats.NextRestartDelay(Backoff, Ms(800) + TimeSpan.FromSeconds(5) - Ms(1), 0));
        var restartedAt = Ms(800) + TimeSpan.FromSeconds(5) - Ms(1) + Ms(800);

        Assert.Equal(Ms(100), stats.NextRestartDelay(Backoff, restartedAt + TimeSpan.FromSeconds(5), 0));
        Assert.Equal(1, stats.ConsecutiveRestarts);
        Assert.Equal(5, stats.TotalRestarts);
    }

    [Fact]
    public void RetriesAreLimitedWithinTheWindowAndTheWindowStartsOver()
    {
        var stats = new ChildRestartStats();
        var window = TimeSpan.FromSeconds(10);

        Assert.True(stats.RequestRestartPermission(3, window, TimeSpan.FromSeconds(0)));
        Assert.True(stats.RequestRestartPermission(3, window, TimeSpan.FromSeconds(1)));
        Assert.True(stats.RequestRestartPermission(3, window, TimeSpan.FromSeconds(2)));
        Assert.False(stats.RequestRestartPermission(3, window, TimeSpan.FromSeconds(3)));
        Assert.True(stats.RequestRestartPermission(3, window, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void UnlimitedAndZeroRetriesMeanWhatTheySay()
    {
        var stats = new ChildRestartStats();

        Assert.All(Enumerable.Range(0, 100), i => Assert.True(stats.RequestRestartPermission(-1, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(i))));
        Assert.False(new ChildRestartStats().RequestRestartPermission(0, TimeSpan.FromSeconds(1), TimeSpan.Zero));
    }

    [Fact]
    public async Task TheSupervisorSchedulesEachRestartWithTheNextLongerDelay()
    {
        var backoff = new RestartBackoff(Ms(10), Ms(40), 0, TimeSpan.FromMinutes(10));
        var strategy = new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, _ => Directive.Restart, backoff);
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(Props.Create(() => new Restartable(TestActor)), strategy, null)));

        for (var i = 0; i < 4; i++)
        {
            supervisor.Tell("boom");
        }

        IReadOnlyList<LogEntry> restarts = [];
        await AwaitConditionAsync(() => (restarts = Logs.Where(e => e.Message.StartsWith("Restarting", StringComparison.Ordinal))).Count == 4);
        Assert.Equal([Ms(10), Ms(20), Ms(40), Ms(40)], restarts.Select(e => (TimeSpan)e.Values["Delay"]!));
        Assert.Equal(1, await supervisor.Ask<int>("count"));
    }

    [Fact]
    public void SupervisionDefaultsLimitRestartsAndBackOff()
    {
        var strategy = OneForOneStrategy.FromSettings(SupervisionSettings.Default);

        Assert.Equal(10, strategy.MaxNrOfRetries);
        Assert.Equal(TimeSpan.FromMinutes(1), strategy.WithinTimeRange);
        Assert.Equal(Ms(100), strategy.Backoff.MinBackoff);
        Assert.Equal(Directive.Stop, strategy.Decide(new ActorInitializationException(TestActor, "x", new Exception())));
        Assert.Equal(Directive.Restart, strategy.Decide(new IOException()));
    }
}
