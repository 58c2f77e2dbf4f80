using Cema.Actors.Configuration;
using Cema.Models.Adaptation;

namespace Cema.Actors.Cloud;

/// <summary>The cloud coordinator.</summary>
/// <param name="SessionPerGroup">One adaptation session (replay buffer, edge replica, version) per edge group; false: one per edge, named after the edge (its edges then subscribe to <c>params/&lt;edge&gt;</c>).</param>
/// <param name="Replay">Step size (NewPerStep), when replay starts (MinimumForReplay) and how much of it joins a step (ReplayedPerStep).</param>
/// <param name="Cloud">The CEMA step's learning rates and loss weights.</param>
/// <param name="Encoding">How published parameters travel; with Fp16Delta every update after the first is a delta against the previous version.</param>
/// <param name="MaxPendingPerSession">New samples a session holds while waiting for its step; beyond it the oldest are dropped (counted).</param>
/// <param name="Seed">Seed of the replay draws.</param>
/// <param name="JobTimeout">How long a session waits for its job's result before sending the same job again (a distiller stopped or lost it); a late duplicate result is ignored.</param>
public sealed record CloudCoordinatorSettings(
    bool SessionPerGroup,
    ReplaySettings Replay,
    CemaCloudSettings Cloud,
    NormParamsEncoding Encoding,
    int MaxPendingPerSession,
    ulong Seed,
    TimeSpan JobTimeout)
{
    /// <summary>
    /// Reads <c>cema.cloud</c> (<c>session-per</c>, <c>params-encoding</c>, <c>max-pending-per-session</c>, <c>job-timeout</c>); replay and
    /// step settings are the given records, by default <c>cema.adapt.replay</c> and <c>cema.adapt.cloud</c> (the simulator's too).
    /// </summary>
    public static CloudCoordinatorSettings FromConfig(Config config, ReplaySettings? replay = null, CemaCloudSettings? cloud = null, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        bool perGroup = config.GetString("cema.cloud.session-per") switch
        {
            "group" => true,
            "edge" => false,
            var other => throw new ConfigException($"'cema.cloud.session-per' must be group or edge, but it is \"{other}\""),
        };
        var encoding = AdaptationSettingsConfig.ParseEncoding(config.GetString("cema.cloud.params-encoding"), "cema.cloud.params-encoding");
        return new CloudCoordinatorSettings(perGroup, replay ?? ReplaySettings.FromConfig(config), cloud ?? CemaCloudSettings.FromConfig(config),
            encoding, config.GetInt("cema.cloud.max-pending-per-session"), seed, config.GetDuration("cema.cloud.job-timeout")).Validate();
    }

    public CloudCoordinatorSettings Validate()
    {
        ArgumentNullException.ThrowIfNull(Replay);
        ArgumentNullException.ThrowIfNull(Cloud);
        Replay.Validate();
        Cloud.Validate();
        if (!Enum.IsDefined(Encoding)) throw new ArgumentOutOfRangeException(nameof(Encoding), Encoding, "CloudCoordinatorSettings.Encoding is unknown");
        if (JobTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(JobTimeout), JobTimeout, "CloudCoordinatorSettings.JobTimeout must be positive");
        if (MaxPendingPerSession < Replay.NewPerStep)
            throw new ArgumentOutOfRangeException(nameof(MaxPendingPerSession), MaxPendingPerSession, "CloudCoordinatorSettings.MaxPendingPerSession must hold at least one step");
        return this;
    }
}
