namespace Cema.Torch.Modules;

/// <summary>Flattens dimensions start_dim..end_dim into one; by default all but the batch dimension.</summary>
public class Flatten : Module
{
    public Flatten(long startDim = 1, long endDim = -1)
    {
        start_dim = startDim;
        end_dim = endDim;
    }

    public long start_dim { get; }
    public long end_dim { get; }

    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);

    public override string extra_repr() => $"start_dim={start_dim}, end_dim={end_dim}";
}
