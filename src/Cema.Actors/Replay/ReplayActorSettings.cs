using Cema.Models.Adaptation;

namespace Cema.Actors.Replay;

/// <summary>The replay actor's bounds.</summary>
/// <param name="Buffer">Each session's own buffer (capacity and bytes per session).</param>
/// <param name="MaxTotalBytes">Pixel bytes held over all sessions; past it the oldest samples of the largest session go first.</param>
public sealed record ReplayActorSettings(ReplaySettings Buffer, long MaxTotalBytes)
{
    /// <summary>The official per-session buffer and 256 MiB over all sessions.</summary>
    public static ReplayActorSettings Default { get; } = new(ReplaySettings.Default, 256L * 1024 * 1024);

    public ReplayActorSettings Validate()
    {
        ArgumentNullException.ThrowIfNull(Buffer);
        Buffer.Validate();
        if (MaxTotalBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTotalBytes), MaxTotalBytes, "ReplayActorSettings.MaxTotalBytes must be positive");
        return this;
    }
}
