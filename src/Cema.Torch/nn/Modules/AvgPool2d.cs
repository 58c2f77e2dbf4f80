namespace Cema.Torch.Modules;

/// <summary>2-d average pooling, as PyTorch's <c>torch.nn.AvgPool2d</c>; the stride defaults to the kernel size.</summary>
public class AvgPool2d : Module
{
    private readonly long[] kernelArray, strideArray, paddingArray;

    public AvgPool2d((long h, long w) kernelSize, (long h, long w)? stride = null, (long h, long w)? padding = null, bool ceilMode = false, bool countIncludePad = true)
    {
        kernel_size = Pairs.Positive(kernelSize, nameof(kernelSize));
        this.stride = Pairs.Positive(stride ?? kernelSize, nameof(stride));
        this.padding = Pairs.NonNegative(padding ?? (0, 0), nameof(padding));
        ceil_mode = ceilMode;
        count_include_pad = countIncludePad;
        kernelArray = Pairs.ToArray(kernel_size);
        strideArray = Pairs.ToArray(this.stride);
        paddingArray = Pairs.ToArray(this.padding);
    }

    public (long h, long w) kernel_size { get; }
    public (long h, long w) stride { get; }
    public (long h, long w) padding { get; }
    public bool ceil_mode { get; }

    /// <summary>Whether zero padding counts in the divisor of each average.</summary>
    public bool count_include_pad { get; }

    public override Tensor forward(Tensor input) => torch.nn.functional.avg_pool2d(input, kernelArray, strideArray, paddingArray, ceil_mode, count_include_pad);

    public override string extra_repr() => $"kernel_size={kernel_size}, stride={stride}, padding={padding}";
}
