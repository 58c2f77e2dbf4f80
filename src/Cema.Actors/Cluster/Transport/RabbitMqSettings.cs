namespace Cema.Actors.Cluster.Transport;

/// <summary>How a node talks to RabbitMQ (<c>cema.cluster.broker</c> and <c>cema.cluster.rabbitmq</c>).</summary>
/// <param name="Uri">amqp://user:password@host:port/vhost.</param>
/// <param name="ParamsExchange">The topic exchange parameter updates are published on.</param>
/// <param name="ConnectTimeout">How long start-up keeps trying to reach the broker.</param>
/// <param name="RecoveryInterval">Pause between reconnection attempts after the connection dropped.</param>
/// <param name="SendTimeout">How long a send keeps retrying while the broker is away before it fails.</param>
/// <param name="RedeliveryDelay">Pause before a message whose handler failed goes back to its queue, so a failing handler does not spin.</param>
/// <param name="ClientName">Shown in the broker's connection list.</param>
public sealed record RabbitMqSettings(
    Uri Uri,
    string ParamsExchange,
    TimeSpan ConnectTimeout,
    TimeSpan RecoveryInterval,
    TimeSpan SendTimeout,
    TimeSpan RedeliveryDelay,
    string ClientName);
