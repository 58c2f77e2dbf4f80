using System.Diagnostics;
using Cema.Actors.Cloud;
using Cema.Actors.Cluster;
using Cema.Actors.Cluster.Bridges;
using Cema.Actors.Cluster.Membership;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Configuration;
using Cema.Actors.Distiller;
using Cema.Actors.Replay;
using Cema.Actors.Runtime;
using Cema.Models.Adaptation;
using Cema.Models.Networks;
using Cema.Torch;
using Microsoft.Extensions.Logging;

namespace Cema.Host.Cloud;

public enum CloudRole
{
    All,
    Coordinator,
    Distiller,
}

/// <param name="Node">This node's id (queue names, logs, the member table).</param>
/// <param name="Role">What this process runs.</param>
/// <param name="Distillers">Distillers in this process's pool (roles all and distiller).</param>
/// <param name="ModelsDirectory">Where the edge and foundation models (and MODELS.json) are.</param>
public sealed record CloudNodeOptions(string Node, CloudRole Role, int Distillers, string ModelsDirectory);

/// <summary>A cloud process of the cluster; see README.md beside this file.</summary>
public static class CloudNode
{
    public static async Task<int> RunAsync(Config config, ClusterSettings cluster, CloudNodeOptions options, TextWriter output, CancellationToken stop)
    {
        var node = ClusterTopology.CheckName(options.Node, "--node");
        var topology = cluster.Topology;
        var started = Stopwatch.StartNew();
        void Say(string line)
        {
            lock (output) output.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
        }
        using var loggers = new LineLoggerFactory(Console.Error);
        var log = loggers.CreateLogger("Cema.Cloud");

        // Every role needs the layouts to read parameters off the wire; distillers need the weights too.
        var (edge, edgeEntry) = ModelStore.Load(options.ModelsDirectory, cluster.EdgeModel);
        var (foundation, foundationEntry) = ModelStore.Load(options.ModelsDirectory, cluster.FoundationModel);
        var layouts = new ClusterLayouts(NormParamsLayout.Of(edge), NormParamsLayout.Of(foundation));
        var models = new DistillerModels(edge.Spec, Detached(edge), foundation.Spec, Detached(foundation));
        Say($"{node}: role {options.Role.ToString().ToLowerInvariant()}; edge model {cluster.EdgeModel} ({edgeEntry.Spec}), " +
            $"foundation model {cluster.FoundationModel} ({foundationEntry.Spec}); broker {Redacted(cluster.Broker)}, cluster {cluster.Name}");

        var codec = new WireCodec(cluster.Limits);
        await using var transport = await RabbitMqTransport.ConnectAsync(cluster.RabbitMq($"cema cloud {node}"), codec, loggers.CreateLogger("Cema.RabbitMq"), stop);
        await topology.DeclareSharedAsync(transport, stop);
        var system = ActorSystem.Create("cema-cloud", config, loggers);
        var consumers = new List<IAsyncDisposable>();
        long steps = 0;
        var stepClock = new Stopwatch();
        IActorRef? member = null;
        try
        {
            if (options.Role is CloudRole.All or CloudRole.Distiller)
            {
                var pool = system.ActorOf(DistillerActor.PoolProps(models, new DistillerSettings(options.Distillers)), "distillers");
                var jobTimeout = CloudCoordinatorSettings.FromConfig(config).JobTimeout;
                consumers.Add(await transport.ConsumeAsync(topology.DistillJobs, options.Distillers, async (delivery, ct) =>
                {
                    DistillJob job;
                    try
                    {
                        job = WireMessages.FromWire(delivery.Message.DistillJob, layouts);
                    }
                    catch (WireException e)
                    {
                        log.LogWarning("dropped a distill job that cannot be read: {Reason}", e.Message);
                        return;
                    }
                    if (delivery.Redelivered)
                        Say($"{node}: job {job.JobId} of session {job.Session} was delivered before and not acknowledged (its distiller stopped); running it");
                    stepClock.Start();
                    var watch = Stopwatch.StartNew();
                    var result = await pool.Ask<DistillResult>(job, jobTimeout, ct);
                    // Acknowledged (by returning) only once the result is stored on the results queue.
                    await transport.SendAsync(delivery.Message.DistillJob.ReplyTo, WireCodec.Wrap(node, e => e.DistillResult = WireMessages.ToWire(result, node)), ct);
                    long done = Interlocked.Increment(ref steps);
                    Say($"{node}: step {done}: job {job.JobId} of session {job.Session} v{job.Version}->v{job.Version + 1} " +
                        $"({job.NewCount} new + {job.ReplayCount} replayed) in {watch.ElapsedMilliseconds} ms; {done / stepClock.Elapsed.TotalSeconds:0.00} steps/s");
                }, stop));
                Say($"{node}: {options.Distillers} distiller(s) consuming {topology.DistillJobs} (prefetch {options.Distillers})");
            }

            if (options.Role is CloudRole.All or CloudRole.Coordinator)
            {
                await RunCoordinatorAsync(config, cluster, node, transport, system, layouts, consumers, Say, log, stop);
            }
            else
            {
                await transport.DeclareAsync(topology.ControlInbox(node, cluster), stop);
                string incarnation = Guid.NewGuid().ToString("N")[..12];
                member = system.ActorOf(MemberActor.Props(cluster, new MemberJoin(node, MemberRole.Distiller, "", incarnation, 0), transport,
                    edge: null, cloud: null, () => Interlocked.Read(ref steps), Say), "member");
                var memberRef = member;
                consumers.Add(await transport.ConsumeAsync(topology.NodeControl(node), 1, (delivery, _) =>
                {
                    memberRef.Tell(MembershipWire.FromWire(delivery.Message));
                    return Task.CompletedTask;
                }, stop));
            }

            Say($"{node}: up in {started.Elapsed.TotalSeconds:0.0}s; Ctrl-C to leave");
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
            }
            Say($"{node}: shutting down after {Interlocked.Read(ref steps)} steps");
            if (member is not null) await member.Ask<LeaveCluster>(new LeaveCluster("shutdown"), cluster.SendTimeout);
        }
        finally
        {
            foreach (var consumer in consumers) await consumer.DisposeAsync();
            await system.Terminate();
            edge.Dispose();
            foundation.Dispose();
            // The pool's distillers hold their own copies; a step still running when the node stops keeps them alive.
            foreach (var tensor in models.EdgeState.Values.Concat(models.FoundationState.Values)) tensor.Dispose();
        }
        return 0;
    }

    private static async Task RunCoordinatorAsync(Config config, ClusterSettings cluster, string node, IClusterTransport transport, ActorSystem system,
        ClusterLayouts layouts, List<IAsyncDisposable> consumers, Action<string> say, ILogger log, CancellationToken stop)
    {
        var topology = cluster.Topology;
        string incarnation = Guid.NewGuid().ToString("N")[..12];
        var replay = system.ActorOf(ReplayActor.Props(ReplayActorSettings.FromConfig(config)), "replay");
        var distillers = system.ActorOf(DistillQueue.Props(topology, node, transport), "distill-queue");
        var coordinator = system.ActorOf(CloudCoordinator.Props(CloudCoordinatorSettings.FromConfig(config), replay, distillers), "coordinator");
        var broadcaster = system.ActorOf(ParamsBroadcaster.Props(node, transport), "params-broadcaster");
        var uploadAcks = system.ActorOf(UploadAcks.Props(topology, node, transport), "upload-acks");
        var membership = system.ActorOf(MembershipActor.Props(cluster, node, incarnation, transport, coordinator, say), "membership");
        var watched = new HashSet<string>(StringComparer.Ordinal);
        var ask = cluster.UnreachableAfter;

        // Carries the session's updates out of the process before its first upload can produce one.
        async Task Watch(string session)
        {
            lock (watched) if (watched.Contains(session)) return;
            await broadcaster.Ask<WatchSession>(new WatchSession(session), ask);
            lock (watched) watched.Add(session);
        }

        // Each queue has its own consumer and channel: membership never waits behind uploads or parameters.
        consumers.Add(await transport.ConsumeAsync(topology.Membership, 1, async (delivery, _) =>
        {
            object message;
            try
            {
                message = MembershipWire.FromWire(delivery.Message);
            }
            catch (WireException e)
            {
                log.LogWarning("dropped a membership message that cannot be read: {Reason}", e.Message);
                return;
            }
            if (message is MemberJoin join && join.Group.Length > 0)
            {
                await Watch(join.Group);
                await Watch(join.Node);
            }
            await membership.TellAsync(message);
        }, stop));

        consumers.Add(await transport.ConsumeAsync(topology.Uploads, cluster.UploadPrefetch, async (delivery, ct) =>
        {
            Upload upload;
            try
            {
                upload = WireMessages.FromWire(delivery.Message.Upload);
            }
            catch (WireException e)
            {
                log.LogWarning("dropped an upload that cannot be read: {Reason}", e.Message);
                return;
            }
            await Watch(upload.Group);
            await Watch(upload.Edge);
            await coordinator.TellAsync(upload, uploadAcks, ct);
            // Acknowledged once the coordinator has taken it in: it answers in order, after the upload.
            await coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance, ask, ct);
        }, stop));

        consumers.Add(await transport.ConsumeAsync(topology.DistillResults, 1, async (delivery, ct) =>
        {
            DistillResult result;
            try
            {
                result = WireMessages.FromWire(delivery.Message.DistillResult, layouts);
            }
            catch (WireException e)
            {
                log.LogWarning("dropped a distill result that cannot be read: {Reason}", e.Message);
                return;
            }
            await coordinator.TellAsync(result, cancellationToken: ct);
            // The session's version as stored: a session renumbered past its edges' versions differs from the step's.
            var stats = await coordinator.Ask<CoordinatorStats>(GetCoordinatorStats.Instance, ask, ct);
            long version = stats.Sessions.FirstOrDefault(s => s.Session == result.Session)?.Version ?? -1;
            if (version < result.EdgeParams.Version)
            {
                // Not the job in flight: one sent by a coordinator that ran before this one.
                say($"{node}: ignored the result of job {result.JobId} of session {result.Session} (v{result.BaseVersion}->v{result.EdgeParams.Version}); the session is at version {version}");
                return;
            }
            say($"{node}: session {result.Session} at version {version} (job {result.JobId} by {delivery.Message.DistillResult.Distiller}, " +
                $"{result.Losses.NewSamples} new + {result.Losses.ReplayedSamples} replayed, edge loss {result.Losses.EdgeTotalLoss:0.000})");
        }, stop));

        consumers.Add(await transport.ConsumeAsync(topology.ParamsRequests, 1, async (delivery, ct) =>
        {
            var request = delivery.Message.LatestParamsRequest;
            if (request is null || request.Group.Length == 0 || request.ReplyTo.Length == 0)
            {
                log.LogWarning("dropped a latest-params request without group or reply_to");
                return;
            }
            await Watch(request.Group);
            var answer = await coordinator.Ask<object>(new LatestParamsRequest(request.Group), ask, ct);
            if (answer is not ParamsUpdated latest) return; // NoParamsYet: the edge keeps its initial parameters
            await TryAsync(() => transport.SendAsync(request.ReplyTo, WireCodec.Wrap(node, e => e.ParamsUpdated = WireMessages.ToWire(latest)), ct));
            say($"{node}: sent version {latest.Version} of {latest.Group} to {request.Node} (it asked for the latest)");
        }, stop));
        say($"{node}: coordinator consuming {topology.Uploads} (prefetch {cluster.UploadPrefetch}), {topology.DistillResults}, {topology.Membership}, {topology.ParamsRequests}");
    }

    private static async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is TransportException or WireException)
        {
            Console.Error.WriteLine($"cema: {e.Message}");
        }
    }

    private static Dictionary<string, Tensor> Detached(ResNet model)
    {
        using var scope = torch.NewDisposeScope();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    internal static string Redacted(Uri uri) => uri.UserInfo.Length == 0 ? uri.ToString() : uri.ToString().Replace(uri.UserInfo + "@", uri.UserInfo.Split(':')[0] + ":***@");
}
