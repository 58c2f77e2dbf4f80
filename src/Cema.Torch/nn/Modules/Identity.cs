namespace Cema.Torch.Modules;

/// <summary>Returns its input, e.g. to stand in for a removed layer without renaming the others.</summary>
public class Identity : Module
{
    // A new handle to the same tensor rather than the input object: the caller owns every module output.
    public override Tensor forward(Tensor input) => input.alias();
}
