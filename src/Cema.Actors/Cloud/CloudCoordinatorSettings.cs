using Cema.Models.Adaptation;

namespace Cema.Actors.Cloud;

/// <summary>The cloud coordinator.</summary>
/// <param name="SessionPerGroup">One adaptation session (replay buffer, edge replica, version) per edge group; false: one per edge, named after the edge (its edges then subscribe to <c>params/&lt;edge&gt;</c>).</param>
/// <param name="Replay">Step size (NewPerStep), when replay starts (MinimumForReplay) and how much of it joins a step (ReplayedPerStep).</param>
/// <param name="Cloud">The CEMA step's learning rates and loss weights.</param>
/// <param name="Encoding">How published parameters travel; with Fp16Delta every update after the first is a delta against the previous version.</param>
/// <param name="MaxPendingPerSession">New samples a session holds while waiting for its step; beyond it the oldest are dropped (counted).</param>
/// <param name="Seed">Seed of the replay draws.</param>
public sealed record CloudCoordinatorSettings(
    bool SessionPerGroup,
    ReplaySettings Replay,
    CemaCloudSettings Cloud,
    NormParamsEncoding Encoding,
    int MaxPendingPerSession,
    ulong Seed)
{
    public static CloudCoordinatorSettings Default { get; } = new(
        SessionPerGroup: true,
        Replay: ReplaySettings.Default,
        Cloud: CemaCloudSettings.Default,
        Encoding: NormParamsEncoding.Fp16,
        MaxPendingPerSession: 1024,
        Seed: 0);

    public CloudCoordinatorSettings Validate()
    {
        ArgumentNullException.ThrowIfNull(Replay);
        ArgumentNullException.ThrowIfNull(Cloud);
        Replay.Validate();
        Cloud.Validate();
        if (!Enum.IsDefined(Encoding)) throw new ArgumentOutOfRangeException(nameof(Encoding), Encoding, "CloudCoordinatorSettings.Encoding is unknown");
        if (MaxPendingPerSession < Replay.NewPerStep)
            throw new ArgumentOutOfRangeException(nameof(MaxPendingPerSession), MaxPendingPerSession, "CloudCoordinatorSettings.MaxPendingPerSession must hold at least one step");
        return this;
    }
}
