namespace Cema.Models.Adaptation.Methods;

/// <summary>
/// Every knob of the seven methods, in one place so a run records what it used. Defaults: <c>cema.adapt</c>
/// in hocon/reference.conf, read by <c>MethodSettings.FromConfig(config)</c> (Cema.Actors.Configuration).
/// </summary>
/// <param name="Selector">CEMA's upload selector.</param>
/// <param name="EataSelector">EATA's upload selector: E &lt; E0 and the redundancy rule, i.e. CEMA's released configuration.</param>
/// <param name="Cloud">CEMA's cloud step (also upload-all's and random's).</param>
/// <param name="Replay">CEMA's replay buffer and step sizes (also upload-all's and random's).</param>
/// <param name="Tent">Tent's cloud optimizer.</param>
/// <param name="Eata">EATA's cloud optimizer.</param>
public sealed record MethodSettings(
    EntropySelectorSettings Selector,
    EntropySelectorSettings EataSelector,
    CemaCloudSettings Cloud,
    ReplaySettings Replay,
    EntropyMinimizationSettings Tent,
    EntropyMinimizationSettings Eata)
{
    /// <summary>Throws naming the first setting out of range.</summary>
    public MethodSettings Validate()
    {
        ArgumentNullException.ThrowIfNull(Selector);
        ArgumentNullException.ThrowIfNull(EataSelector);
        ArgumentNullException.ThrowIfNull(Cloud);
        ArgumentNullException.ThrowIfNull(Replay);
        ArgumentNullException.ThrowIfNull(Tent);
        ArgumentNullException.ThrowIfNull(Eata);
        Selector.Validate();
        EataSelector.Validate();
        Cloud.Validate();
        Replay.Validate();
        Tent.Validate();
        Eata.Validate();
        return this;
    }
}
