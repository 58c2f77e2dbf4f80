using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation;

/// <summary>
/// The edge's only way to run its network: forward-only, as an edge device in CEMA cannot
/// back-propagate. Eval mode keeps renormalization from moving the running statistics (those come
/// from the cloud), and no_grad keeps LibTorch from recording a graph or holding activations for one.
/// </summary>
public static class EdgeInference
{
    /// <summary>Logits for <paramref name="input"/>; a new tensor the caller owns, with no autograd history.</summary>
    public static Tensor Predict(Module module, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        module.eval();
        using var noGrad = torch.no_grad();
        return module.call(input);
    }
}
