using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Configuration;

namespace Cema.Actors.Cluster;

/// <summary>A cluster node's settings: <c>cema.cluster</c> in hocon/reference.conf, where each default is explained.</summary>
/// <param name="Name">The cluster's name: the prefix of every queue and exchange, so clusters can share a broker.</param>
/// <param name="Broker">The RabbitMQ URI.</param>
/// <param name="HeartbeatInterval">How often members and the coordinator send heartbeats.</param>
/// <param name="UnreachableAfter">Silence after which a member is marked unreachable (and an edge takes the coordinator for unreachable).</param>
/// <param name="RemoveAfter">Further silence after which an unreachable member is removed.</param>
/// <param name="StatusInterval">How often the cloud prints its member table and an edge its progress.</param>
/// <param name="UploadPrefetch">Uploads the coordinator holds unacknowledged at once.</param>
/// <param name="InboxMaxLength">Messages a node's inbox keeps; past it the oldest go.</param>
/// <param name="InboxExpires">An inbox unused this long (its node gone) is deleted by the broker.</param>
/// <param name="Limits">Size limits per message kind.</param>
/// <param name="ConnectTimeout">How long start-up keeps trying to reach the broker.</param>
/// <param name="RecoveryInterval">Pause between reconnection attempts.</param>
/// <param name="SendTimeout">How long a send keeps retrying while the broker is away.</param>
/// <param name="RedeliveryDelay">Pause before a message whose handler failed goes back to its queue.</param>
/// <param name="EdgeModel">Models-directory name of the edge network.</param>
/// <param name="FoundationModel">Models-directory name of the foundation network.</param>
public sealed record ClusterSettings(
    string Name,
    Uri Broker,
    TimeSpan HeartbeatInterval,
    TimeSpan UnreachableAfter,
    TimeSpan RemoveAfter,
    TimeSpan StatusInterval,
    int UploadPrefetch,
    int InboxMaxLength,
    TimeSpan InboxExpires,
    WireLimits Limits,
    TimeSpan ConnectTimeout,
    TimeSpan RecoveryInterval,
    TimeSpan SendTimeout,
    TimeSpan RedeliveryDelay,
    string EdgeModel,
    string FoundationModel)
{
    public static ClusterSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("cema.cluster");
        string broker = c.GetString("broker");
        if (!Uri.TryCreate(broker, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
            throw new ConfigException($"'cema.cluster.broker' must be an amqp:// URI, but it is \"{broker}\"");
        var r = c.GetConfig("rabbitmq");
        return new ClusterSettings(
            c.GetString("name"), uri,
            c.GetDuration("heartbeat-interval"), c.GetDuration("unreachable-after"), c.GetDuration("remove-after"), c.GetDuration("status-interval"),
            c.GetInt("upload-prefetch"), c.GetInt("inbox.max-length"), c.GetDuration("inbox.expires"),
            WireLimits.FromConfig(config),
            r.GetDuration("connect-timeout"), r.GetDuration("recovery-interval"), r.GetDuration("send-timeout"), r.GetDuration("redelivery-delay"),
            c.GetString("edge-model"), c.GetString("foundation-model")).Validate();
    }

    public ClusterSettings Validate()
    {
        ClusterTopology.CheckName(Name, "cema.cluster.name");
        Positive(HeartbeatInterval, "heartbeat-interval");
        Positive(UnreachableAfter, "unreachable-after");
        Positive(RemoveAfter, "remove-after");
        Positive(StatusInterval, "status-interval");
        Positive(ConnectTimeout, "rabbitmq.connect-timeout");
        Positive(RecoveryInterval, "rabbitmq.recovery-interval");
        Positive(SendTimeout, "rabbitmq.send-timeout");
        if (UnreachableAfter <= HeartbeatInterval)
            throw new ConfigException($"'cema.cluster.unreachable-after' ({UnreachableAfter}) must be longer than 'cema.cluster.heartbeat-interval' ({HeartbeatInterval})");
        if (UploadPrefetch is < 1 or > ushort.MaxValue) throw new ConfigException($"'cema.cluster.upload-prefetch' must be in 1-65535, but it is {UploadPrefetch}");
        if (InboxMaxLength < 1) throw new ConfigException($"'cema.cluster.inbox.max-length' must be positive, but it is {InboxMaxLength}");
        Limits.Validate();
        return this;
    }

    public ClusterTopology Topology => new(Name);

    public RabbitMqSettings RabbitMq(string clientName) =>
        new(Broker, Topology.ParamsExchange, ConnectTimeout, RecoveryInterval, SendTimeout, RedeliveryDelay, clientName);

    private static void Positive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero) throw new ConfigException($"'cema.cluster.{key}' must be positive, but it is {value}");
    }
}
