using Cema.Host.Cloud;

namespace Cema.Integration.Tests;

/// <summary>
/// One private RabbitMQ broker (Debian's rabbitmq-server on a free loopback port, its own node name, epmd,
/// database and logs in a temporary directory) for every test of the "broker" collection; stopped and its
/// directory removed at the end. Tests keep apart by giving their queues unique names (cema.cluster.name).
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public LoopbackBroker Broker { get; private set; } = null!;

    public Uri Uri => Broker.Uri;

    public async Task InitializeAsync() => Broker = await LoopbackBroker.StartAsync(log: Console.Out);

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

[CollectionDefinition("broker")]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>;
