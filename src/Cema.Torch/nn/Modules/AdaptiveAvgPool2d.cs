namespace Cema.Torch.Modules;

/// <summary>Average pooling to a fixed output size whatever the input size, as PyTorch's <c>torch.nn.AdaptiveAvgPool2d</c>.</summary>
public class AdaptiveAvgPool2d : Module
{
    private readonly long[] outputArray;

    public AdaptiveAvgPool2d((long h, long w) outputSize)
    {
        output_size = Pairs.Positive(outputSize, nameof(outputSize));
        outputArray = Pairs.ToArray(output_size);
    }

    public (long h, long w) output_size { get; }

    public override Tensor forward(Tensor input) => torch.nn.functional.adaptive_avg_pool2d(input, outputArray);

    public override string extra_repr() => $"output_size={output_size}";
}
