namespace Cema.Torch.Modules;

/// <summary>max(0, x), as PyTorch's <c>torch.nn.ReLU</c>.</summary>
public class ReLU : Module
{
    public ReLU(bool inplace = false) => this.inplace = inplace;

    /// <summary>Overwrite the input instead of allocating the output.</summary>
    public bool inplace { get; }

    // In place still returns a new handle (to the input's storage), so the caller may dispose it as any other output.
    public override Tensor forward(Tensor input) => inplace ? input.relu_().alias() : input.relu();

    public override string extra_repr() => inplace ? "inplace=True" : "";
}
