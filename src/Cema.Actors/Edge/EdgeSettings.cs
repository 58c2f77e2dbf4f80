using Cema.Actors.Configuration;
using Cema.Models.Adaptation;

namespace Cema.Actors.Edge;

/// <summary>One edge device.</summary>
/// <param name="Edge">The edge's name, carried by its uploads.</param>
/// <param name="Group">Its parameter group: it subscribes to <c>params/&lt;Group&gt;</c> (with one session per edge, set Group to Edge).</param>
/// <param name="Selector">Which samples it uploads.</param>
/// <param name="UpdateDelay">
/// K ≥ 1: frame batch t + K is predicted only once the cloud has answered batch t's upload and the edge holds
/// the version it named (the simulator's update delay K; 1 = the cloud keeps pace with every batch). 0: never
/// wait; frames are predicted as they arrive and updates applied when they land.
/// </param>
/// <param name="MeasureSource">Also run a frozen copy of the source network on labelled frames (forward only) and report its accuracy on the same frames.</param>
public sealed record EdgeSettings(string Edge, string Group, EntropySelectorSettings Selector, int UpdateDelay = 0, bool MeasureSource = false)
{
    /// <summary>
    /// Whether the edge normalizes with the running statistics the cloud sends (renormalization, the paper's way) or each frame
    /// batch with its own statistics; <see cref="FromConfig"/> reads it from <c>cema.adapt.cloud.renormalization</c>, the cloud's setting.
    /// </summary>
    public bool Renormalization { get; init; } = true;

    /// <summary>
    /// With an update delay: how long the edge waits for a version the cloud named in an <see cref="Cloud.UploadHandled"/>
    /// before it asks for the latest itself; <see cref="FromConfig"/> reads <c>cema.edge.behind-grace</c>.
    /// </summary>
    public TimeSpan BehindGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Reads <c>cema.edge</c> (<c>update-delay</c>, <c>measure-source</c>, <c>behind-grace</c>) and <c>cema.adapt.cloud.renormalization</c>; the selector is CEMA's, <c>cema.adapt.selector</c>, as the simulator's.</summary>
    public static EdgeSettings FromConfig(Config config, string edge, string group)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig("cema.edge");
        return section.Checked(() => new EdgeSettings(edge, group, EntropySelectorSettings.FromConfig(config), section.GetInt("update-delay"), section.GetBool("measure-source"))
        {
            Renormalization = config.GetBool("cema.adapt.cloud.renormalization"),
            BehindGrace = section.GetDuration("behind-grace"),
        }.Validate());
    }

    public EdgeSettings Validate()
    {
        if (string.IsNullOrEmpty(Edge)) throw new ArgumentException("EdgeSettings.Edge must be named", nameof(Edge));
        if (string.IsNullOrEmpty(Group)) throw new ArgumentException("EdgeSettings.Group must be named", nameof(Group));
        ArgumentNullException.ThrowIfNull(Selector);
        Selector.Validate();
        if (UpdateDelay < 0) throw new ArgumentOutOfRangeException(nameof(UpdateDelay), UpdateDelay, "EdgeSettings.UpdateDelay must be 0 (never wait) or a number of batches");
        if (BehindGrace <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(BehindGrace), BehindGrace, "EdgeSettings.BehindGrace must be positive");
        return this;
    }
}
