using Cema.Actors.Cloud;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cluster.Bridges;

/// <summary>
/// Carries the coordinator's parameter updates out of the process: subscribes to <c>params/&lt;session&gt;</c> on
/// the local topic mediator for every session it is told of (<see cref="WatchSession"/>, before the session's
/// first upload reaches the coordinator) and publishes each update on the cluster's parameter exchange under
/// <c>params.&lt;group&gt;</c>, where every edge of the group has its inbox bound. One publish at a time, in order.
/// </summary>
public sealed class ParamsBroadcaster : ReceiveActor
{
    private readonly HashSet<string> watched = new(StringComparer.Ordinal);
    private long published;

    public ParamsBroadcaster(string node, IClusterTransport transport)
    {
        var mediator = TopicMediator.Get(Context.System).Mediator;
        Receive<WatchSession>(watch =>
        {
            if (watched.Add(watch.Session)) mediator.Tell(new Subscribe(ParamsTopic.For(watch.Session), Self), Self);
            Sender.Tell(watch);
        });
        Receive<SubscribeAck>(_ => { });
        ReceiveAsync<ParamsUpdated>(async update =>
        {
            try
            {
                await transport.PublishAsync(ClusterTopology.ParamsTopic(update.Group), WireCodec.Wrap(node, e => e.ParamsUpdated = WireMessages.ToWire(update)));
                published++;
            }
            catch (Exception e) when (e is TransportException or WireException)
            {
                // Edges notice through the coordinator's heartbeats that they are behind, and ask.
                Context.GetLogger().LogWarning("Cloud: could not publish version {Version} of {Group}: {Reason}", update.Version, update.Group, e.Message);
            }
        });
    }

    public static Props Props(string node, IClusterTransport transport) =>
        Runtime.Props.Create(() => new ParamsBroadcaster(node, transport));
}

/// <summary>Asks the broadcaster to carry <c>params/&lt;Session&gt;</c> out; answered with the same message once subscribed.</summary>
public sealed record WatchSession(string Session);
