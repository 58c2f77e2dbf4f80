using Cema.Actors.Configuration;
using Cema.Models.Adaptation;

namespace Cema.Actors.Edge;

/// <summary>One edge device.</summary>
/// <param name="Edge">The edge's name, carried by its uploads.</param>
/// <param name="Group">Its parameter group: it subscribes to <c>params/&lt;Group&gt;</c> (with one session per edge, set Group to Edge).</param>
/// <param name="Selector">Which samples it uploads.</param>
/// <param name="UploadBatch">Selected samples sent per upload: fewer, larger messages.</param>
public sealed record EdgeSettings(string Edge, string Group, EntropySelectorSettings Selector, int UploadBatch)
{
    /// <summary>
    /// Whether the edge normalizes with the running statistics the cloud sends (renormalization, the paper's way) or each frame
    /// batch with its own statistics; <see cref="FromConfig"/> reads it from <c>cema.adapt.cloud.renormalization</c>, the cloud's setting.
    /// </summary>
    public bool Renormalization { get; init; } = true;

    /// <summary>Reads <c>cema.edge.upload-batch</c>; the selector is <paramref name="selector"/> (default <c>cema.adapt.selector</c>, CEMA's, as the simulator's).</summary>
    public static EdgeSettings FromConfig(Config config, string edge, string group, EntropySelectorSettings? selector = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new EdgeSettings(edge, group, selector ?? EntropySelectorSettings.FromConfig(config), config.GetInt("cema.edge.upload-batch"))
        {
            Renormalization = config.GetBool("cema.adapt.cloud.renormalization"),
        }.Validate();
    }

    public EdgeSettings Validate()
    {
        if (string.IsNullOrEmpty(Edge)) throw new ArgumentException("EdgeSettings.Edge must be named", nameof(Edge));
        if (string.IsNullOrEmpty(Group)) throw new ArgumentException("EdgeSettings.Group must be named", nameof(Group));
        ArgumentNullException.ThrowIfNull(Selector);
        Selector.Validate();
        if (UploadBatch <= 0) throw new ArgumentOutOfRangeException(nameof(UploadBatch), UploadBatch, "EdgeSettings.UploadBatch must be positive");
        return this;
    }
}
