using Cema.Actors.Cloud;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cluster.Bridges;

/// <summary>
/// The coordinator as an edge node's EdgeActor sees it: the EdgeActor of #5 tells this actor what it
/// would tell the CloudCoordinator, and this sends it over the transport. An <see cref="Upload"/> goes to
/// the durable uploads queue and counts as sent once the broker confirmed it (the actor takes its next
/// message only then, so a slow broker pushes back on the edge); a <see cref="LatestParamsRequest"/> goes to
/// the coordinator with this node's params inbox as the address of the answer. An upload the codec refuses
/// (over <c>cema.cluster.limits.upload</c>) or the broker could not take within the send timeout is logged
/// and counted; nothing else is affected.
/// </summary>
public sealed class CloudProxy : ReceiveActor
{
    private long sent, refused, lost;

    public CloudProxy(ClusterTopology topology, string node, IClusterTransport transport, Action<string> output)
    {
        ReceiveAsync<Upload>(async upload =>
        {
            try
            {
                await transport.SendAsync(topology.Uploads, WireCodec.Wrap(node, e => e.Upload = WireMessages.ToWire(upload)));
                sent++;
            }
            catch (WireLimitException e)
            {
                refused++;
                output($"{node}: upload of {upload.Count} images refused: {e.Message} ({refused} refused so far)");
            }
            catch (Exception e) when (e is TransportException or WireException)
            {
                lost++;
                Context.GetLogger().LogError("{Node}: upload of {Count} images lost: {Reason}", node, upload.Count, e.Message);
            }
        });
        ReceiveAsync<LatestParamsRequest>(async request =>
        {
            try
            {
                await transport.SendAsync(topology.ParamsRequests, WireCodec.Wrap(node, e => e.LatestParamsRequest =
                    new Wire.Proto.LatestParamsRequest { Group = request.Group, ReplyTo = topology.NodeParams(node), Node = node }));
            }
            catch (Exception e) when (e is TransportException or WireException)
            {
                Context.GetLogger().LogWarning("{Node}: could not ask for the latest parameters: {Reason}", node, e.Message);
            }
        });
        Receive<GetCloudProxyStats>(_ => Sender.Tell(new CloudProxyStats(sent, refused, lost)));
    }

    public static Props Props(ClusterTopology topology, string node, IClusterTransport transport, Action<string> output) =>
        Runtime.Props.Create(() => new CloudProxy(topology, node, transport, output));
}

/// <summary>Asks a <see cref="CloudProxy"/> for its counters.</summary>
public sealed record GetCloudProxyStats
{
    public static GetCloudProxyStats Instance { get; } = new();
}

/// <summary>Uploads the broker confirmed, refused by the size limit, and lost (broker unreachable past the send timeout).</summary>
public sealed record CloudProxyStats(long UploadsSent, long UploadsRefused, long UploadsLost);
