using Cema.Actors.Configuration;

namespace Cema.Actors.Cluster.Wire;

/// <summary>
/// Largest encoded size, in bytes, of each kind of message (<c>cema.cluster.limits</c>). A sender refuses
/// to send a larger one; a receiver refuses to parse a message larger than the largest limit at all, and
/// refuses a parsed one larger than its kind's limit.
/// </summary>
/// <param name="Upload">An edge's upload of selected images.</param>
/// <param name="DistillJob">A distill job: fresh and replayed images plus the session's edge and foundation parameters.</param>
/// <param name="DistillResult">A distill result: the edge and foundation parameters after the step.</param>
/// <param name="Params">A parameter update or the answer to a latest-parameters request.</param>
/// <param name="Control">Join, Welcome, Heartbeat, Leave and LatestParamsRequest.</param>
public sealed record WireLimits(long Upload, long DistillJob, long DistillResult, long Params, long Control)
{
    public const string ConfigPath = "cema.cluster.limits";

    /// <summary>reference.conf's values.</summary>
    public static WireLimits Default { get; } = new(Upload: 1 << 20, DistillJob: 4 << 20, DistillResult: 4 << 20, Params: 1 << 20, Control: 64 << 10);

    public static WireLimits FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig(ConfigPath);
        return new WireLimits(c.GetBytes("upload"), c.GetBytes("distill-job"), c.GetBytes("distill-result"), c.GetBytes("params"), c.GetBytes("control")).Validate();
    }

    /// <summary>The largest of the limits: nothing bigger is parsed.</summary>
    public long Largest => new[] { Upload, DistillJob, DistillResult, Params, Control }.Max();

    /// <summary>The limit of a body kind and its configuration key.</summary>
    public (long MaxBytes, string Key) For(Proto.Envelope.BodyOneofCase kind) => kind switch
    {
        Proto.Envelope.BodyOneofCase.Upload => (Upload, ConfigPath + ".upload"),
        Proto.Envelope.BodyOneofCase.DistillJob => (DistillJob, ConfigPath + ".distill-job"),
        Proto.Envelope.BodyOneofCase.DistillResult => (DistillResult, ConfigPath + ".distill-result"),
        Proto.Envelope.BodyOneofCase.ParamsUpdated => (Params, ConfigPath + ".params"),
        _ => (Control, ConfigPath + ".control"),
    };

    public WireLimits Validate()
    {
        foreach (var (name, value) in new[] { ("upload", Upload), ("distill-job", DistillJob), ("distill-result", DistillResult), ("params", Params), ("control", Control) })
        {
            if (value <= 0 || value > int.MaxValue)
                throw new ConfigException($"'{ConfigPath}.{name}' must be between 1 byte and 2 GiB, but it is {value} bytes");
        }
        return this;
    }
}
