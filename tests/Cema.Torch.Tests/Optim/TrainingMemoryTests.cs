using System.Diagnostics;
using Xunit.Abstractions;

namespace Cema.Torch.Tests.Optim;

[Collection(ProcessWideStateCollection.Name)]
public class TrainingMemoryTests
{
    private const int Steps = 20_000;
    // Allocator pools and JIT tiering settle within the first thousand steps; a leak keeps growing after.
    private const int WarmUpSteps = 1000;
    private const int UncollectedSteps = 200;
    private const long NoGCBudgetBytes = 32L << 20;
    private readonly ITestOutputHelper output;

    public TrainingMemoryTests(ITestOutputHelper output) => this.output = output;

    private static long ResidentBytes()
    {
        // statm: size resident shared ... in pages.
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    /// <summary>Collects garbage and runs finalizers first, so that only handles still referenced are counted.</summary>
    private static (long rss, long liveTensors) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (ResidentBytes(), torch.live_tensors);
    }

    [Fact]
    public void Twenty_thousand_scoped_training_steps_leak_neither_memory_nor_tensor_handles()
    {
        var clock = Stopwatch.StartNew();
        torch.manual_seed(0);
        using var net = torch.nn.Sequential(
            torch.nn.Conv2d(1, 4, 3),
            torch.nn.BatchNorm2d(4),
            torch.nn.ReLU(),
            torch.nn.AdaptiveAvgPool2d(1),
            torch.nn.Flatten(),
            torch.nn.Linear(4, 3));
        using var optimizer = torch.optim.SGD(net.parameters(), lr: 0.05, momentum: 0.9);
        using var generator = new Generator(1);
        using var x = torch.randn(new long[] { 8, 1, 8, 8 }, generator: generator);
        using var y = torch.randint(0, 3, new long[] { 8 }, generator: generator);

        (long rss, long liveTensors) warm = default;
        float firstLoss = 0, lastLoss = 0;
        void Step(int step)
        {
            using (torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = torch.nn.functional.cross_entropy(net.call(x), y);
                loss.backward();
                optimizer.step();
                if (step == 0) firstLoss = loss.item<float>();
                if (step == Steps - 1) lastLoss = loss.item<float>();
            }
        }

        int step = 0;
        for (; step < Steps - UncollectedSteps; step++)
        {
            Step(step);
            if (step == WarmUpSteps - 1) warm = Measure();
        }

        // The last steps run with the garbage collector held off, so no finalizer can release a
        // handle that a step forgot to dispose: every handle a step creates must be gone when it ends.
        var beforeUncollected = Measure();
        Assert.True(GC.TryStartNoGCRegion(NoGCBudgetBytes), "could not hold off the garbage collector");
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        int collectionsBefore = GC.CollectionCount(0);
        for (; step < Steps; step++) Step(step);
        long uncollectedDelta = torch.live_tensors - beforeUncollected.liveTensors;
        bool collected = GC.CollectionCount(0) != collectionsBefore;
        long allocatedPerStep = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / UncollectedSteps;
        if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();

        var end = Measure();
        clock.Stop();

        double growthMb = (end.rss - warm.rss) / (1024.0 * 1024.0);
        long handleDelta = end.liveTensors - warm.liveTensors;
        output.WriteLine($"{Steps} steps in {clock.Elapsed.TotalSeconds:F1} s; RSS {warm.rss / 1048576.0:F1} MB after warm-up, {end.rss / 1048576.0:F1} MB at the end " +
                         $"(growth {growthMb:F2} MB); live tensors {warm.liveTensors} → {end.liveTensors} (delta {handleDelta}); " +
                         $"over the last {UncollectedSteps} steps without GC: {uncollectedDelta} handles left, {allocatedPerStep} managed bytes per step; loss {firstLoss:F4} → {lastLoss:F4}");

        Assert.True(growthMb < 50, $"resident memory grew by {growthMb:F1} MB between step {WarmUpSteps} and step {Steps}");
        Assert.InRange(handleDelta, -4, 4);
        Assert.False(collected, "the garbage collector ran during the uncollected steps, so their handle count proves nothing");
        Assert.Equal(0, uncollectedDelta);
        // The loop really trained, so the steps above did the work they claim.
        Assert.True(lastLoss < firstLoss, $"loss went from {firstLoss} to {lastLoss}");
    }

    [Fact]
    public void Disposing_an_optimizer_releases_its_state()
    {
        using var p = torch.zeros(new long[] { 3 }, requires_grad: true);
        var (_, before) = Measure();
        var adam = torch.optim.Adam(new[] { p }, amsgrad: true);
        using (var g = torch.ones(3)) p.grad = g;
        adam.step();
        Assert.Equal(before + 4, Measure().liveTensors);  // step, exp_avg, exp_avg_sq, max_exp_avg_sq
        adam.Dispose();
        p.grad = null;
        Assert.Equal(before, Measure().liveTensors);
    }
}
