using Cema.Actors.Cluster.Wire;
using Cema.Actors.Cluster.Wire.Proto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Cema.Actors.Cluster.Transport;

/// <summary>
/// The cluster transport over RabbitMQ (RabbitMQ.Client 7, async API). One connection with automatic
/// connection and topology recovery (queues, bindings and consumers come back after a broker restart).
/// Publishing uses one channel per lane with publisher confirms (a send completes when the broker has the
/// message): control (membership), data (uploads, jobs, results) and params, so a large upload or a burst of
/// parameter updates never waits in front of a heartbeat. Each consumer has its own channel, prefetch and
/// dispatch concurrency equal to its prefetch. Work queues are durable with persistent messages; inboxes are
/// transient, bounded (oldest dropped) and expire when their node is gone. Deliveries are acknowledged
/// manually when the handler completes.
/// </summary>
public sealed class RabbitMqTransport : IClusterTransport
{
    private sealed class Lane(IChannel channel)
    {
        public IChannel Channel { get; } = channel;
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private readonly RabbitMqSettings settings;
    private readonly ILogger log;
    private readonly IConnection connection;
    private readonly Lane control, data, parameters;
    private readonly SemaphoreSlim adminGate = new(1, 1);
    private readonly List<RabbitConsumer> consumers = new();
    private IChannel admin;
    private bool disposed;

    private RabbitMqTransport(RabbitMqSettings settings, WireCodec codec, ILogger log, IConnection connection, IChannel admin, Lane control, Lane data, Lane parameters)
    {
        this.settings = settings;
        Codec = codec;
        this.log = log;
        this.connection = connection;
        this.admin = admin;
        this.control = control;
        this.data = data;
        this.parameters = parameters;
        connection.ConnectionShutdownAsync += (_, e) =>
        {
            if (!disposed) log.LogWarning("RabbitMQ: connection lost ({Reason}); recovering", e.ReplyText);
            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            log.LogInformation("RabbitMQ: connection recovered; queues, bindings and consumers restored");
            return Task.CompletedTask;
        };
    }

    public string Kind => "rabbitmq";

    public WireCodec Codec { get; }

    public TransportStats Stats { get; } = new();

    /// <summary>Connects (retrying until <see cref="RabbitMqSettings.ConnectTimeout"/>) and declares the parameter exchange.</summary>
    public static async Task<RabbitMqTransport> ConnectAsync(RabbitMqSettings settings, WireCodec codec, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(codec);
        var log = logger ?? NullLogger.Instance;
        var factory = new ConnectionFactory
        {
            Uri = settings.Uri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = settings.RecoveryInterval,
            ClientProvidedName = settings.ClientName,
            // Our own limits (WireLimits) are far below this; it only guards the client against a hostile peer.
            MaxInboundMessageBodySize = (uint)Math.Min(int.MaxValue, codec.Limits.Largest * 2),
        };
        var deadline = DateTime.UtcNow + settings.ConnectTimeout;
        IConnection connection;
        while (true)
        {
            try
            {
                connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (BrokerUnreachableException e) when (DateTime.UtcNow < deadline)
            {
                log.LogInformation("RabbitMQ: {Uri} not reachable yet ({Reason}); retrying", Redacted(settings.Uri), e.InnerException?.Message ?? e.Message);
                await Task.Delay(settings.RecoveryInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (BrokerUnreachableException e)
            {
                throw new TransportException($"cannot reach the broker at {Redacted(settings.Uri)} within {settings.ConnectTimeout.TotalSeconds:0}s " +
                    "(cema.cluster.rabbitmq.connect-timeout): is it running? See README \"Run a cluster\".", e);
            }
        }
        var confirmed = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        var admin = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await admin.ExchangeDeclareAsync(settings.ParamsExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        var control = new Lane(await connection.CreateChannelAsync(confirmed, cancellationToken).ConfigureAwait(false));
        var data = new Lane(await connection.CreateChannelAsync(confirmed, cancellationToken).ConfigureAwait(false));
        var parameters = new Lane(await connection.CreateChannelAsync(confirmed, cancellationToken).ConfigureAwait(false));
        return new RabbitMqTransport(settings, codec, log, connection, admin, control, data, parameters);
    }

    public Task DeclareAsync(QueueSpec queue, CancellationToken cancellationToken = default) => OnAdminChannel(async channel =>
    {
        if (queue.Kind == QueueKind.Work)
        {
            await channel.QueueDeclareAsync(queue.Name, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var arguments = new Dictionary<string, object?>();
            if (queue.MaxLength > 0)
            {
                arguments["x-max-length"] = queue.MaxLength;
                arguments["x-overflow"] = "drop-head";
            }
            if (queue.Expires is { } expires) arguments["x-expires"] = (int)Math.Min(int.MaxValue, expires.TotalMilliseconds);
            await channel.QueueDeclareAsync(queue.Name, durable: false, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        foreach (var topic in queue.BoundTopics)
            await channel.QueueBindAsync(queue.Name, settings.ParamsExchange, topic, cancellationToken: cancellationToken).ConfigureAwait(false);
        return 0L;
    }, $"declare queue {queue.Name}");

    public async Task SendAsync(string queue, Envelope message, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(message);
        var properties = new BasicProperties { Persistent = true, Type = message.BodyCase.ToString(), AppId = message.Sender };
        await PublishConfirmedAsync(LaneOf(message), "", queue, mandatory: true, properties, bytes, $"queue {queue}", cancellationToken).ConfigureAwait(false);
        Stats.Sent();
    }

    public async Task PublishAsync(string topic, Envelope message, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(message);
        var properties = new BasicProperties { Persistent = false, Type = message.BodyCase.ToString(), AppId = message.Sender };
        await PublishConfirmedAsync(LaneOf(message), settings.ParamsExchange, topic, mandatory: false, properties, bytes, $"topic {topic}", cancellationToken).ConfigureAwait(false);
        Stats.Published();
    }

    /// <summary>Puts bytes on a queue as they are, bypassing the sender's checks (what a foreign or broken peer does); tests use it.</summary>
    internal Task SendEncodedAsync(string queue, byte[] bytes) =>
        PublishConfirmedAsync(data, "", queue, mandatory: true, new BasicProperties { Persistent = true }, bytes, $"queue {queue}", CancellationToken.None);

    public async Task<IAsyncDisposable> ConsumeAsync(string queue, int prefetch, Func<Delivery, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefetch, ushort.MaxValue);
        ArgumentNullException.ThrowIfNull(handler);
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: (ushort)prefetch), cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, (ushort)prefetch, global: false, cancellationToken).ConfigureAwait(false);
        var consumer = new RabbitConsumer(this, channel, queue, handler);
        await consumer.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (consumers) consumers.Add(consumer);
        return consumer;
    }

    public Task<long> PurgeAsync(string queue, CancellationToken cancellationToken = default) =>
        OnAdminChannel(async channel => (long)await channel.QueuePurgeAsync(queue, cancellationToken).ConfigureAwait(false), $"purge queue {queue}");

    public Task<long> CountAsync(string queue, CancellationToken cancellationToken = default) =>
        OnAdminChannel(async channel => (long)(await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).MessageCount, $"count queue {queue}");

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        List<RabbitConsumer> running;
        lock (consumers) running = consumers.ToList();
        foreach (var consumer in running) await consumer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
        }
        connection.Dispose();
    }

    private Lane LaneOf(Envelope message) => message.BodyCase switch
    {
        Envelope.BodyOneofCase.Upload or Envelope.BodyOneofCase.DistillJob or Envelope.BodyOneofCase.DistillResult => data,
        Envelope.BodyOneofCase.ParamsUpdated or Envelope.BodyOneofCase.UploadHandled => parameters,
        _ => control,
    };

    private byte[] Encode(Envelope message)
    {
        try
        {
            return Codec.Encode(message);
        }
        catch (WireException)
        {
            Stats.Refused();
            throw;
        }
    }

    // A send retries while the connection is down (the client recovers it in the background), so a broker
    // restart delays messages instead of losing them; the broker's confirm is what completes it.
    private async Task PublishConfirmedAsync(Lane lane, string exchange, string routingKey, bool mandatory, BasicProperties properties, byte[] body, string target, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var deadline = DateTime.UtcNow + settings.SendTimeout;
        while (true)
        {
            await lane.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await lane.Channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PublishException e) when (e.IsReturn)
            {
                throw new TransportException($"the broker could not route a message to {target}: no such queue (declare it first)", e);
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                Stats.SendRetried();
                log.LogDebug("RabbitMQ: sending to {Target} failed ({Reason}); retrying", target, e.Message);
            }
            catch (Exception e) when (IsTransient(e))
            {
                throw new TransportException($"could not send to {target} within {settings.SendTimeout.TotalSeconds:0}s (cema.cluster.rabbitmq.send-timeout): {e.Message}", e);
            }
            finally
            {
                lane.Gate.Release();
            }
            await Task.Delay(settings.RecoveryInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransient(Exception e) =>
        e is AlreadyClosedException or OperationInterruptedException or PublishException or IOException or TimeoutException;

    private async Task<T> OnAdminChannel<T>(Func<IChannel, Task<T>> action, string what)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        await adminGate.WaitAsync().ConfigureAwait(false);
        try
        {
            // A failed declare (e.g. arguments that differ from the existing queue's) closes the channel: open a new one.
            if (admin.IsClosed) admin = await connection.CreateChannelAsync().ConfigureAwait(false);
            return await action(admin).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e)
        {
            throw new TransportException($"RabbitMQ refused to {what}: {e.ShutdownReason?.ReplyText ?? e.Message}", e);
        }
        finally
        {
            adminGate.Release();
        }
    }

    private static string Redacted(Uri uri) => new UriBuilder(uri) { Password = uri.UserInfo.Contains(':') ? "***" : "" }.Uri.ToString();

    private sealed class RabbitConsumer(RabbitMqTransport owner, IChannel channel, string queue, Func<Delivery, CancellationToken, Task> handler) : IAsyncDisposable
    {
        private readonly CancellationTokenSource stopping = new();
        private readonly object sync = new();
        private int running;
        private TaskCompletionSource? idle;
        private string? tag;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += OnReceivedAsync;
            tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        }

        private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
        {
            lock (sync) running++;
            try
            {
                // The body is only valid during this call: copy it before anything awaits.
                var bytes = delivery.Body.ToArray();
                Envelope envelope;
                try
                {
                    envelope = owner.Codec.Decode(bytes);
                }
                catch (WireException e)
                {
                    owner.Stats.Rejected(e.Message);
                    owner.log.LogWarning("Transport: dropped a message on {Queue} that cannot be read: {Reason}", queue, e.Message);
                    await SettleAsync(() => channel.BasicAckAsync(delivery.DeliveryTag, false)).ConfigureAwait(false);
                    return;
                }
                owner.Stats.Delivered();
                try
                {
                    await handler(new Delivery(envelope, delivery.Redelivered, queue), stopping.Token).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    if (!stopping.IsCancellationRequested)
                    {
                        owner.log.LogWarning(e, "Transport: the handler of {Queue} failed; the message will be delivered again", queue);
                        try { await Task.Delay(owner.settings.RedeliveryDelay, stopping.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
                    }
                    owner.Stats.Requeued();
                    await SettleAsync(() => channel.BasicNackAsync(delivery.DeliveryTag, false, requeue: true)).ConfigureAwait(false);
                    return;
                }
                owner.Stats.Acked();
                await SettleAsync(() => channel.BasicAckAsync(delivery.DeliveryTag, false)).ConfigureAwait(false);
            }
            finally
            {
                lock (sync)
                {
                    running--;
                    if (running == 0) idle?.TrySetResult();
                }
            }
        }

        // An ack on a channel that closed meanwhile is lost, which is safe: the broker redelivers that message.
        private async Task SettleAsync(Func<ValueTask> settle)
        {
            try
            {
                await settle().ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
            {
                owner.log.LogDebug("Transport: could not settle a delivery on {Queue} ({Reason}); the broker will deliver it again", queue, e.Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Task wait;
            lock (sync)
            {
                if (idle is not null) return;
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (running == 0) idle.TrySetResult();
                wait = idle.Task;
            }
            try
            {
                if (tag is not null && channel.IsOpen) await channel.BasicCancelAsync(tag).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
            {
            }
            stopping.Cancel();
            await wait.ConfigureAwait(false);
            try
            {
                // Closing the channel returns its prefetched, unacknowledged messages to the queue.
                await channel.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
            {
            }
            channel.Dispose();
            lock (owner.consumers) owner.consumers.Remove(this);
        }
    }
}
