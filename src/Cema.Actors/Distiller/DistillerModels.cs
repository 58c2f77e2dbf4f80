using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Actors.Distiller;

/// <summary>
/// What every distiller builds its own models from: the edge and foundation ResNet specs and their
/// state dicts (copied into each distiller's models; the caller keeps and disposes these tensors, which
/// must outlive the pool).
/// </summary>
public sealed record DistillerModels(
    ResNetSpec EdgeSpec,
    IReadOnlyDictionary<string, Tensor> EdgeState,
    ResNetSpec FoundationSpec,
    IReadOnlyDictionary<string, Tensor> FoundationState)
{
    internal ResNet BuildEdge() => Build(EdgeSpec, EdgeState);
    internal ResNet BuildFoundation() => Build(FoundationSpec, FoundationState);

    private static ResNet Build(ResNetSpec spec, IReadOnlyDictionary<string, Tensor> state)
    {
        var model = new ResNet(spec);
        model.load_state_dict(state);
        return model;
    }
}
