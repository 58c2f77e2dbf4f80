using Cema.Actors.Configuration;
using Cema.Models.Adaptation;

namespace Cema.Actors.Replay;

/// <summary>The replay actor's bounds.</summary>
/// <param name="Buffer">Each session's own buffer (capacity and bytes per session).</param>
/// <param name="MaxTotalBytes">Pixel bytes held over all sessions; past it the oldest samples of the largest session go first.</param>
public sealed record ReplayActorSettings(ReplaySettings Buffer, long MaxTotalBytes)
{
    /// <summary>Reads <c>cema.cloud.replay-total-bytes</c> and the per-session buffer, <c>cema.adapt.replay</c>.</summary>
    public static ReplayActorSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ReplayActorSettings(ReplaySettings.FromConfig(config), config.GetBytes("cema.cloud.replay-total-bytes")).Validate();
    }

    public ReplayActorSettings Validate()
    {
        ArgumentNullException.ThrowIfNull(Buffer);
        Buffer.Validate();
        if (MaxTotalBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTotalBytes), MaxTotalBytes, "ReplayActorSettings.MaxTotalBytes must be positive");
        return this;
    }
}
