using Cema.Models.Adaptation;
using Cema.Models.Networks;

namespace Cema.Actors.Cluster.Wire;

/// <summary>
/// The norm-layer layouts of the edge and foundation networks. Encoded <see cref="NormParams"/> carry only
/// their layout's hash, so a node needs these to read parameters off the wire.
/// </summary>
public sealed record ClusterLayouts(NormParamsLayout Edge, NormParamsLayout Foundation)
{
    /// <summary>Builds (and disposes) a network of each spec just to read its layout; weights do not matter.</summary>
    public static ClusterLayouts Of(ResNetSpec edge, ResNetSpec foundation)
    {
        using var e = new ResNet(edge);
        using var f = new ResNet(foundation);
        return new ClusterLayouts(NormParamsLayout.Of(e), NormParamsLayout.Of(f));
    }
}
