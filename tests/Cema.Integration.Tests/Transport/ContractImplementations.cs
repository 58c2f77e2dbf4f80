using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;

namespace Cema.Integration.Tests.Transport;

/// <summary>The contract in one process: every "node" of a test is a transport over one in-memory broker, as the nodes of a cluster share one RabbitMQ.</summary>
public sealed class InProcessTransportContractTests : TransportContract
{
    private readonly InProcessBroker broker = new();

    protected override Task<IClusterTransport> NewNodeAsync(WireLimits limits) =>
        Task.FromResult<IClusterTransport>(new InProcessTransport(broker, new WireCodec(limits), TimeSpan.FromMilliseconds(100)));

    protected override Task InjectRawAsync(IClusterTransport node, string queue, byte[] bytes) => ((InProcessTransport)node).SendEncodedAsync(queue, bytes);
}

/// <summary>The contract over a real broker: every node is its own connection to the collection's private RabbitMQ.</summary>
[Collection("broker")]
public sealed class RabbitMqTransportContractTests(BrokerFixture broker) : TransportContract
{
    protected override async Task<IClusterTransport> NewNodeAsync(WireLimits limits) =>
        await RabbitMqTransport.ConnectAsync(Settings(broker.Uri, "contract"), new WireCodec(limits));

    protected override Task InjectRawAsync(IClusterTransport node, string queue, byte[] bytes) => ((RabbitMqTransport)node).SendEncodedAsync(queue, bytes);

    public static RabbitMqSettings Settings(Uri uri, string client) => new(uri, "cema.test.params", ConnectTimeout: TimeSpan.FromSeconds(30),
        RecoveryInterval: TimeSpan.FromMilliseconds(500), SendTimeout: TimeSpan.FromSeconds(60), RedeliveryDelay: TimeSpan.FromMilliseconds(100), ClientName: client);
}
