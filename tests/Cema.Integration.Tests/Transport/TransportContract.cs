using System.Collections.Concurrent;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Cluster.Wire.Proto;

namespace Cema.Integration.Tests.Transport;

/// <summary>
/// The one behaviour every <see cref="IClusterTransport"/> must have (the interface's documentation in
/// test form). <see cref="InProcessTransportContractTests"/> and <see cref="RabbitMqTransportContractTests"/>
/// run it unchanged; each test makes its own "nodes" (transports) and queues with names no other test uses.
/// </summary>
public abstract class TransportContract : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<IClusterTransport> transports = new();
    private readonly string prefix = "contract-" + Guid.NewGuid().ToString("N")[..8] + ".";

    /// <summary>A transport as one node of the cluster sees it; all made by one test reach the same queues.</summary>
    protected abstract Task<IClusterTransport> NewNodeAsync(WireLimits limits);

    /// <summary>Puts bytes on a queue without the sender's checks: what a foreign or broken peer would send.</summary>
    protected abstract Task InjectRawAsync(IClusterTransport node, string queue, byte[] bytes);

    protected string Q(string name) => prefix + name;

    protected async Task<IClusterTransport> NodeAsync(WireLimits? limits = null)
    {
        var node = await NewNodeAsync(limits ?? WireLimits.Default);
        transports.Add(node);
        return node;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var t in transports) await t.DisposeAsync();
    }

    /// <summary>Deliveries seen by a handler, awaitable by count.</summary>
    protected sealed class Collector
    {
        private readonly ConcurrentQueue<Delivery> seen = new();
        public IReadOnlyList<Delivery> Seen => seen.ToArray();

        public Task Handle(Delivery delivery, CancellationToken _)
        {
            seen.Enqueue(delivery);
            return Task.CompletedTask;
        }

        public async Task<IReadOnlyList<Delivery>> AtLeastAsync(int count)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (seen.Count < count)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"saw {seen.Count} of {count} deliveries");
                await Task.Delay(20);
            }
            return Seen;
        }
    }

    [Fact]
    public async Task EveryMessageKindCrossesAWorkQueueIntactAndInOrder()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        await a.DeclareAsync(QueueSpec.Work(Q("work")));
        var sent = SampleMessages.EveryKind();
        foreach (var message in sent) await a.SendAsync(Q("work"), message);

        var collector = new Collector();
        await using var consumer = await b.ConsumeAsync(Q("work"), 1, collector.Handle);
        var got = await collector.AtLeastAsync(sent.Count);

        Assert.Equal(sent, got.Select(d => d.Message));
        Assert.All(got, d => Assert.False(d.Redelivered));
        Assert.Equal(9, got.Select(d => d.Message.BodyCase).Distinct().Count());
    }

    [Fact]
    public async Task CompetingConsumersShareTheQueueAndEachMessageIsHandledOnce()
    {
        var producer = await NodeAsync();
        await producer.DeclareAsync(QueueSpec.Work(Q("jobs")));
        var seen = new ConcurrentBag<(string Consumer, long Version)>();
        async Task Slow(string name, Delivery d, CancellationToken ct)
        {
            await Task.Delay(20, ct);
            seen.Add((name, d.Message.Upload.ParamsVersion));
        }
        var one = await NodeAsync();
        var two = await NodeAsync();
        await using var c1 = await one.ConsumeAsync(Q("jobs"), 1, (d, ct) => Slow("one", d, ct));
        await using var c2 = await two.ConsumeAsync(Q("jobs"), 1, (d, ct) => Slow("two", d, ct));
        for (int i = 0; i < 20; i++) await producer.SendAsync(Q("jobs"), SampleMessages.Upload(1, version: i));

        var deadline = DateTime.UtcNow + Patience;
        while (seen.Count < 20 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), seen.Select(s => s.Version).Order());
        Assert.Contains(seen, s => s.Consumer == "one");
        Assert.Contains(seen, s => s.Consumer == "two");
    }

    [Fact]
    public async Task AMessageWhoseHandlerFailsIsDeliveredAgainAndRemovedOnlyWhenAHandlerCompletes()
    {
        var node = await NodeAsync();
        await node.DeclareAsync(QueueSpec.Work(Q("retry")));
        await node.SendAsync(Q("retry"), SampleMessages.Upload(1, version: 42));
        var attempts = new ConcurrentQueue<Delivery>();
        await using (await node.ConsumeAsync(Q("retry"), 1, (d, _) =>
        {
            attempts.Enqueue(d);
            if (attempts.Count == 1) throw new InvalidOperationException("the first attempt fails");
            return Task.CompletedTask;
        }))
        {
            var deadline = DateTime.UtcNow + Patience;
            while ((attempts.Count < 2 || node.Stats.Snapshot().Acked < 1) && DateTime.UtcNow < deadline) await Task.Delay(20);
        }
        var tries = attempts.ToArray();
        Assert.Equal(2, tries.Length);
        Assert.All(tries, d => Assert.Equal(42, d.Message.Upload.ParamsVersion));
        Assert.False(tries[0].Redelivered);
        Assert.True(tries[1].Redelivered);
        Assert.Equal(0, await node.CountAsync(Q("retry")));
        Assert.Equal(1, node.Stats.Snapshot().Requeued);
    }

    [Fact]
    public async Task AMessageHeldByAConsumerThatStopsGoesToAnotherConsumer()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        await first.DeclareAsync(QueueSpec.Work(Q("handover")));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = await first.ConsumeAsync(Q("handover"), 1, async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct); // still working when its node stops
        });
        await first.SendAsync(Q("handover"), SampleMessages.Upload(1, version: 7));
        await started.Task.WaitAsync(Patience);
        await holder.DisposeAsync();

        var collector = new Collector();
        await using var taker = await second.ConsumeAsync(Q("handover"), 1, collector.Handle);
        var got = Assert.Single(await collector.AtLeastAsync(1));
        Assert.Equal(7, got.Message.Upload.ParamsVersion);
        Assert.True(got.Redelivered);
    }

    [Fact]
    public async Task PrefetchBoundsTheDeliveriesAConsumerHoldsAtOnce()
    {
        var node = await NodeAsync();
        await node.DeclareAsync(QueueSpec.Work(Q("prefetch")));
        for (int i = 0; i < 5; i++) await node.SendAsync(Q("prefetch"), SampleMessages.Upload(1, version: i));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int inHandler = 0, most = 0;
        var collector = new Collector();
        await using var consumer = await node.ConsumeAsync(Q("prefetch"), 2, async (d, ct) =>
        {
            int now = Interlocked.Increment(ref inHandler);
            InterlockedMax(ref most, now);
            await release.Task.WaitAsync(ct);
            Interlocked.Decrement(ref inHandler);
            await collector.Handle(d, ct);
        });
        var deadline = DateTime.UtcNow + Patience;
        while (Volatile.Read(ref inHandler) < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Task.Delay(300); // room for a third delivery, were prefetch not enforced
        Assert.Equal(2, Volatile.Read(ref most));
        Assert.Equal(3, await node.CountAsync(Q("prefetch")));
        release.SetResult();
        Assert.Equal(5, (await collector.AtLeastAsync(5)).Count);
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task APublishReachesEveryInboxBoundToItsTopicAndNoOther()
    {
        var cloud = await NodeAsync();
        await cloud.DeclareAsync(new QueueSpec(Q("inbox.a"), QueueKind.Inbox, [Q("params.g1")], 8, TimeSpan.FromMinutes(5)));
        await cloud.DeclareAsync(new QueueSpec(Q("inbox.b"), QueueKind.Inbox, [Q("params.g2")], 8, TimeSpan.FromMinutes(5)));
        await cloud.DeclareAsync(new QueueSpec(Q("inbox.all"), QueueKind.Inbox, [Q("params.*")], 8, TimeSpan.FromMinutes(5)));

        await cloud.PublishAsync(Q("params.g1"), SampleMessages.Params(5));
        await cloud.PublishAsync(Q("params.nobody") + ".deeper", SampleMessages.Params(6)); // bound to no queue: dropped, not an error

        var collector = new Collector();
        var edge = await NodeAsync();
        await using var consumer = await edge.ConsumeAsync(Q("inbox.a"), 1, collector.Handle);
        Assert.Equal(5, Assert.Single(await collector.AtLeastAsync(1)).Message.ParamsUpdated.Version);
        Assert.Equal(1, await cloud.CountAsync(Q("inbox.all")));
        Assert.Equal(0, await cloud.CountAsync(Q("inbox.b")));
    }

    [Fact]
    public async Task AnInboxKeepsItsNewestMessagesWhenFull()
    {
        var node = await NodeAsync();
        await node.DeclareAsync(new QueueSpec(Q("inbox.small"), QueueKind.Inbox, [Q("params.g")], 2, TimeSpan.FromMinutes(5)));
        for (int v = 1; v <= 5; v++) await node.PublishAsync(Q("params.g"), SampleMessages.Params(v));
        Assert.Equal(2, await node.CountAsync(Q("inbox.small")));

        var collector = new Collector();
        await using var consumer = await node.ConsumeAsync(Q("inbox.small"), 1, collector.Handle);
        Assert.Equal([4L, 5L], (await collector.AtLeastAsync(2)).Select(d => d.Message.ParamsUpdated.Version));
    }

    [Fact]
    public async Task PurgeRemovesTheWaitingMessages()
    {
        var node = await NodeAsync();
        await node.DeclareAsync(new QueueSpec(Q("inbox.purge"), QueueKind.Inbox, [Q("params.p")], 16, TimeSpan.FromMinutes(5)));
        for (int v = 1; v <= 3; v++) await node.PublishAsync(Q("params.p"), SampleMessages.Params(v));
        Assert.Equal(3, await node.PurgeAsync(Q("inbox.purge")));
        Assert.Equal(0, await node.CountAsync(Q("inbox.purge")));
    }

    [Fact]
    public async Task SendingToAQueueNobodyDeclaredFails()
    {
        var node = await NodeAsync();
        var e = await Assert.ThrowsAsync<TransportException>(() => node.SendAsync(Q("nowhere"), SampleMessages.Upload(1)));
        Assert.Contains(Q("nowhere"), e.Message);
    }

    [Fact]
    public async Task AnOversizedMessageIsRefusedWithAnErrorNamingTheLimitAndTheNextGoesThrough()
    {
        var limits = WireLimits.Default with { Upload = 10 * 1024 };
        var edge = await NodeAsync(limits);
        await edge.DeclareAsync(QueueSpec.Work(Q("uploads")));

        var refused = await Assert.ThrowsAsync<WireLimitException>(() => edge.SendAsync(Q("uploads"), SampleMessages.Upload(20)));
        Assert.Equal("cema.cluster.limits.upload", refused.Limit);
        Assert.Contains("cema.cluster.limits.upload", refused.Message);
        Assert.Contains("10,240", refused.Message);
        Assert.Equal(0, await edge.CountAsync(Q("uploads")));

        await edge.SendAsync(Q("uploads"), SampleMessages.Upload(2, version: 9));
        var collector = new Collector();
        await using var consumer = await edge.ConsumeAsync(Q("uploads"), 1, collector.Handle);
        Assert.Equal(9, Assert.Single(await collector.AtLeastAsync(1)).Message.Upload.ParamsVersion);
        Assert.Equal(1, edge.Stats.Snapshot().Refused);
    }

    [Fact]
    public async Task AnIncomingMessageThatCannotBeReadIsDroppedCountedAndTheNextDelivered()
    {
        var receiver = await NodeAsync(WireLimits.Default with { Upload = 10 * 1024 });
        var sender = await NodeAsync(); // a peer configured with larger limits, or one that does not check
        await receiver.DeclareAsync(QueueSpec.Work(Q("inbound")));

        await sender.SendAsync(Q("inbound"), SampleMessages.Upload(20));                                   // over the receiver's upload limit
        await InjectRawAsync(sender, Q("inbound"), [0xFF, 0xFF, 0xFF, 0x0F]);                              // not protobuf
        var future = SampleMessages.Upload(1);
        future.SchemaVersion = 2;
        await InjectRawAsync(sender, Q("inbound"), Google.Protobuf.MessageExtensions.ToByteArray(future)); // a schema this node does not speak
        await sender.SendAsync(Q("inbound"), SampleMessages.Upload(1, version: 77));

        var collector = new Collector();
        await using var consumer = await receiver.ConsumeAsync(Q("inbound"), 1, collector.Handle);
        Assert.Equal(77, Assert.Single(await collector.AtLeastAsync(1)).Message.Upload.ParamsVersion);
        var deadline = DateTime.UtcNow + Patience;
        while (receiver.Stats.Snapshot().Rejected < 3 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var stats = receiver.Stats.Snapshot();
        Assert.Equal(3, stats.Rejected);
        Assert.StartsWith("schema version 2 is not supported", stats.LastRejection); // one queue, one consumer: the third rejected is the last
        Assert.Equal(1, stats.Delivered);
        Assert.Equal(0, await receiver.CountAsync(Q("inbound")));
    }

    [Fact]
    public async Task TheSchemaVersionAndTheLimitAreNamedWhenAMessageIsRefusedOnArrival()
    {
        var codec = new WireCodec(WireLimits.Default with { Upload = 10 * 1024 });
        var big = Google.Protobuf.MessageExtensions.ToByteArray(SampleMessages.Upload(20));
        Assert.Equal("cema.cluster.limits.upload", Assert.Throws<WireLimitException>(() => codec.Decode(big)).Limit);
        var future = SampleMessages.Upload(1);
        future.SchemaVersion = 2;
        var schema = Assert.Throws<WireException>(() => codec.Decode(Google.Protobuf.MessageExtensions.ToByteArray(future)));
        Assert.Equal("schema_version", schema.Field);
        await Task.CompletedTask;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
