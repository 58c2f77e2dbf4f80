using Cema.Actors.Cloud;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cluster.Bridges;

/// <summary>
/// The sender of uploads as the CloudCoordinator sees it in a cluster: an <see cref="UploadHandled"/> answer
/// (asked for by edges with <c>cema.edge.update-delay</c> ≥ 1) goes to the edge's params inbox, behind the
/// parameter updates it refers to. An edge that is gone is logged at debug level.
/// </summary>
public sealed class UploadAcks : ReceiveActor
{
    public UploadAcks(ClusterTopology topology, string node, IClusterTransport transport)
    {
        ReceiveAsync<UploadHandled>(async handled =>
        {
            try
            {
                await transport.SendAsync(topology.NodeParams(handled.Edge), WireCodec.Wrap(node, e => e.UploadHandled = WireMessages.ToWire(handled)));
            }
            catch (Exception e) when (e is TransportException or WireException)
            {
                Context.GetLogger().LogDebug("Cloud: could not answer upload {Sequence} of {Edge}: {Reason}", handled.Sequence, handled.Edge, e.Message);
            }
        });
    }

    public static Props Props(ClusterTopology topology, string node, IClusterTransport transport) =>
        Runtime.Props.Create(() => new UploadAcks(topology, node, transport));
}
