namespace Cema.Torch.Modules;

/// <summary>While training, zeroes each element with probability p and scales the rest by 1/(1-p); identity in eval.</summary>
public class Dropout : Module
{
    public Dropout(double p = 0.5)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, $"dropout probability has to be between 0 and 1, but got {p}");
        this.p = p;
    }

    public double p { get; }

    public override Tensor forward(Tensor input) => torch.nn.functional.dropout(input, p, training);

    public override string extra_repr() => $"p={p.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
