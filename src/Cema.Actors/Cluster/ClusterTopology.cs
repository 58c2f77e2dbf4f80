using System.Text.RegularExpressions;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Configuration;

namespace Cema.Actors.Cluster;

/// <summary>
/// The names of a cluster's queues and topics, all under the cluster's name (so two clusters, or two
/// test runs, can share one broker). Every node declares the shared queues the same way before use.
/// <code>
/// NAME.uploads            work   edges → coordinator: Upload
/// NAME.distill-jobs       work   coordinator → every distiller node (competing consumers): DistillJob
/// NAME.distill-results    work   distillers → coordinator: DistillResult
/// NAME.membership         work   members → coordinator: Join, Heartbeat, Leave
/// NAME.params-requests    work   edges → coordinator: LatestParamsRequest
/// NAME.params             topic exchange; routing key params.GROUP: ParamsUpdated
/// NAME.node.ID.control    inbox  coordinator → node: Welcome, the coordinator's Heartbeat
/// NAME.node.ID.params     inbox  bound to params.GROUP; also the answer to a LatestParamsRequest
/// </code>
/// </summary>
public sealed partial record ClusterTopology(string Name)
{
    public string Uploads => Name + ".uploads";
    public string DistillJobs => Name + ".distill-jobs";
    public string DistillResults => Name + ".distill-results";
    public string Membership => Name + ".membership";
    public string ParamsRequests => Name + ".params-requests";
    public string ParamsExchange => Name + ".params";

    public string NodeControl(string node) => $"{Name}.node.{node}.control";
    public string NodeParams(string node) => $"{Name}.node.{node}.params";
    public static string ParamsTopic(string group) => "params." + group;

    /// <summary>The shared work queues, declared alike by every node before it sends or consumes.</summary>
    public IEnumerable<QueueSpec> SharedQueues() =>
        new[] { Uploads, DistillJobs, DistillResults, Membership, ParamsRequests }.Select(QueueSpec.Work);

    public QueueSpec ControlInbox(string node, ClusterSettings settings) =>
        new(NodeControl(node), QueueKind.Inbox, null, settings.InboxMaxLength, settings.InboxExpires);

    public QueueSpec ParamsInbox(string node, string group, ClusterSettings settings) =>
        new(NodeParams(node), QueueKind.Inbox, [ParamsTopic(group)], settings.InboxMaxLength, settings.InboxExpires);

    public async Task DeclareSharedAsync(IClusterTransport transport, CancellationToken cancellationToken = default)
    {
        foreach (var queue in SharedQueues()) await transport.DeclareAsync(queue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Node ids, group names and the cluster name become words of queue names and routing keys: letters, digits, '-' and '_' only.</summary>
    public static string CheckName(string value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 100 || !SafeName().IsMatch(value))
            throw new ConfigException($"{what} must be 1-100 letters, digits, '-' or '_', but it is \"{value}\"");
        return value;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex SafeName();
}
