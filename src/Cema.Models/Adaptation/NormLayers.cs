using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation;

/// <summary>The normalization layers CEMA adapts, found in any module, and the switch that readies them.</summary>
public static class NormLayers
{
    /// <summary>Every BatchNorm2d of <paramref name="module"/> with its dotted name, in module order (the order of state_dict()).</summary>
    public static IEnumerable<(string name, BatchNorm2d layer)> Of(Module module) =>
        module.named_modules().Where(m => m.module is BatchNorm2d).Select(m => (m.name, (BatchNorm2d)m.module));

    /// <summary>The norm layers' mode for a method's <c>renormalization</c> setting.</summary>
    public static BatchNorm2d.NormalizationMode Normalization(bool renormalize) =>
        renormalize ? BatchNorm2d.NormalizationMode.TestTimeRenorm : BatchNorm2d.NormalizationMode.BatchStatistics;

    /// <summary>γ and β of every norm layer, in module order: the only tensors CEMA trains.</summary>
    public static IEnumerable<Tensor> AffineParameters(Module module)
    {
        foreach (var (_, layer) in Of(module))
        {
            if (layer.weight is { } w) yield return w;
            if (layer.bias is { } b) yield return b;
        }
    }

    /// <summary>
    /// Readies a model for CEMA as the official <c>prepare_model_for_tent_tta</c> does: only γ and β keep
    /// requires_grad, so backward computes no other gradient, and every norm layer switches to
    /// <see cref="Normalization"/>(<paramref name="renormalize"/>): test-time batch renormalization (its source
    /// running statistics give way to the first target batch's; the official <c>is_tbr: true</c>) or plain batch
    /// statistics (<c>is_tbr: false</c>, Tent's and EATA's way). Idempotent: a layer already in that mode keeps its
    /// running statistics.
    /// </summary>
    public static void PrepareForAdaptation(Module module, bool renormalize = true)
    {
        foreach (var p in module.parameters()) p.requires_grad_(false);
        foreach (var (_, layer) in Of(module))
        {
            layer.mode = Normalization(renormalize);
            layer.weight?.requires_grad_(true);
            layer.bias?.requires_grad_(true);
        }
    }
}
