namespace Cema.Torch.Modules;

/// <summary>y = x Wᵀ + b over the last dimension, as PyTorch's <c>torch.nn.Linear</c>.</summary>
public class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        if (inFeatures < 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "in_features must be non-negative");
        if (outFeatures < 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "out_features must be non-negative");
        in_features = inFeatures;
        out_features = outFeatures;
        RegisterParameter("weight", torch.empty(outFeatures, inFeatures));
        RegisterParameter("bias", bias ? torch.empty(outFeatures) : null);
        reset_parameters();
    }

    public long in_features { get; }
    public long out_features { get; }

    /// <summary>Shape (out_features, in_features).</summary>
    public Tensor weight => GetParameter("weight")!;

    /// <summary>Shape (out_features), or null when built with bias: false.</summary>
    public Tensor? bias => GetParameter("bias");

    /// <summary>PyTorch's default: kaiming_uniform(a = sqrt 5) weights, bias uniform on ±1/sqrt(in_features).</summary>
    public void reset_parameters()
    {
        // An empty weight (in_features 0) has no fan to scale by; PyTorch leaves it alone too.
        if (in_features > 0 && out_features > 0) torch.nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is { } b)
        {
            double bound = in_features > 0 ? 1 / Math.Sqrt(in_features) : 0;
            torch.nn.init.uniform_(b, -bound, bound);
        }
    }

    public override Tensor forward(Tensor input) => torch.nn.functional.linear(input, weight, bias);

    public override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={(bias is null ? "False" : "True")}";
}
