using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Actors.Distiller;
using Cema.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cluster.Bridges;

/// <summary>
/// The distiller pool as the CloudCoordinator sees it in a cluster: each <see cref="DistillJob"/> goes to the
/// durable distill-jobs queue, which every distiller node consumes (competing consumers, prefetch = its
/// pool size), so the pool spans processes. Results come back on the distill-results queue. A job that
/// cannot be sent is logged; the coordinator sends it again after <c>cema.cloud.job-timeout</c>.
/// </summary>
public sealed class DistillQueue : ReceiveActor
{
    public DistillQueue(ClusterTopology topology, string node, IClusterTransport transport)
    {
        ReceiveAsync<DistillJob>(async job =>
        {
            try
            {
                await transport.SendAsync(topology.DistillJobs, WireCodec.Wrap(node, e => e.DistillJob = WireMessages.ToWire(job, topology.DistillResults)));
            }
            catch (Exception e) when (e is TransportException or WireException)
            {
                Context.GetLogger().LogError("Cloud: could not queue job {JobId} of session {Session}: {Reason}; the coordinator will send it again", job.JobId, job.Session, e.Message);
            }
        });
    }

    public static Props Props(ClusterTopology topology, string node, IClusterTransport transport) =>
        Runtime.Props.Create(() => new DistillQueue(topology, node, transport));
}
