using System.Collections.Concurrent;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;

namespace Cema.Integration.Tests.Transport;

/// <summary>What RabbitMQ adds to the contract: durable queues and persistent messages outlive a broker restart, and the client recovers its connection, queues, bindings and consumers by itself.</summary>
[Collection("broker")]
public sealed class BrokerRestartTests(BrokerFixture broker)
{
    [Fact]
    public async Task NoMessageIsLostAcrossABrokerRestartAndConsumersResumeByThemselves()
    {
        string prefix = "restart-" + Guid.NewGuid().ToString("N")[..6] + ".";
        await using var producer = await RabbitMqTransport.ConnectAsync(RabbitMqTransportContractTests.Settings(broker.Uri, "restart-producer"), new WireCodec(WireLimits.Default));
        await using var worker = await RabbitMqTransport.ConnectAsync(RabbitMqTransportContractTests.Settings(broker.Uri, "restart-worker"), new WireCodec(WireLimits.Default));
        await producer.DeclareAsync(QueueSpec.Work(prefix + "uploads"));
        await producer.DeclareAsync(QueueSpec.Work(prefix + "live"));
        for (int v = 1; v <= 5; v++) await producer.SendAsync(prefix + "uploads", SampleMessages.Upload(1, version: v));

        // A consumer that is running when the broker goes away.
        var live = new ConcurrentQueue<long>();
        await using var liveConsumer = await worker.ConsumeAsync(prefix + "live", 1, (d, _) =>
        {
            live.Enqueue(d.Message.Upload.ParamsVersion);
            return Task.CompletedTask;
        });
        await producer.SendAsync(prefix + "live", SampleMessages.Upload(1, version: 100));
        await Until(() => live.Count == 1);

        await broker.Broker.StopAsync();
        // Sent while the broker is down: the send waits for the recovered connection and the broker's confirm.
        var duringOutage = producer.SendAsync(prefix + "uploads", SampleMessages.Upload(1, version: 6));
        await Task.Delay(1000);
        Assert.False(duringOutage.IsCompleted);
        await broker.Broker.StartAgainAsync();
        await duringOutage.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(producer.Stats.Snapshot().SendRetries >= 1);

        await producer.SendAsync(prefix + "live", SampleMessages.Upload(1, version: 101));
        await Until(() => live.Count == 2);
        Assert.Equal([100L, 101L], live);

        var got = new ConcurrentQueue<long>();
        await using var consumer = await worker.ConsumeAsync(prefix + "uploads", 1, (d, _) =>
        {
            got.Enqueue(d.Message.Upload.ParamsVersion);
            return Task.CompletedTask;
        });
        await Until(() => got.Count == 6);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], got);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for deliveries");
            await Task.Delay(50);
        }
    }
}
