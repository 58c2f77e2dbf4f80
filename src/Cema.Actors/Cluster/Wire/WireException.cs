namespace Cema.Actors.Cluster.Wire;

/// <summary>A message that cannot be sent or read; <see cref="Field"/> names the part at fault (a field, the schema version, or a size limit).</summary>
public class WireException(string field, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Field { get; } = field;
}

/// <summary>
/// A message larger than its limit. <see cref="Limit"/> is the configuration key of the limit
/// (e.g. <c>cema.cluster.limits.upload</c>), so the message says which setting refused it.
/// </summary>
public sealed class WireLimitException(string limit, string kind, long bytes, long maxBytes)
    : WireException(limit, $"{kind} message of {bytes:N0} bytes exceeds the limit {limit} = {maxBytes:N0} bytes")
{
    public string Limit { get; } = limit;
    public string Kind { get; } = kind;
    public long Bytes { get; } = bytes;
    public long MaxBytes { get; } = maxBytes;
}
