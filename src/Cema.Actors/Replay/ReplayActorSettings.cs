using Cema.Actors.Configuration;
using Cema.Models.Adaptation;

namespace Cema.Actors.Replay;

/// <summary>The replay actor's bounds.</summary>
/// <param name="Buffer">Each session's own buffer (capacity and bytes per session).</param>
/// <param name="MaxTotalBytes">Pixel bytes held over all sessions; past it the oldest samples of the largest session go first.</param>
public sealed record ReplayActorSettings(ReplaySettings Buffer, long MaxTotalBytes)
{
    /// <summary>The official per-session buffer and reference.conf's 256 MiB over all sessions.</summary>
    public static ReplayActorSettings Default { get; } = new(ReplaySettings.Default, 256L * 1024 * 1024);

    /// <summary>Reads <c>cema.cloud.replay-total-bytes</c>; the per-session buffer is <paramref name="buffer"/> (default <see cref="ReplaySettings.Default"/>).</summary>
    public static ReplayActorSettings FromConfig(Config config, ReplaySettings? buffer = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ReplayActorSettings(buffer ?? ReplaySettings.Default, config.GetBytes("cema.cloud.replay-total-bytes")).Validate();
    }

    public ReplayActorSettings Validate()
    {
        ArgumentNullException.ThrowIfNull(Buffer);
        Buffer.Validate();
        if (MaxTotalBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTotalBytes), MaxTotalBytes, "ReplayActorSettings.MaxTotalBytes must be positive");
        return this;
    }
}
