namespace Cema.Torch.Modules;

/// <summary>2-d max pooling, as PyTorch's <c>torch.nn.MaxPool2d</c>; the stride defaults to the kernel size.</summary>
public class MaxPool2d : Module
{
    private readonly long[] kernelArray, strideArray, paddingArray, dilationArray;

    public MaxPool2d((long h, long w) kernelSize, (long h, long w)? stride = null, (long h, long w)? padding = null, (long h, long w)? dilation = null, bool ceilMode = false)
    {
        kernel_size = Pairs.Positive(kernelSize, nameof(kernelSize));
        this.stride = Pairs.Positive(stride ?? kernelSize, nameof(stride));
        this.padding = Pairs.NonNegative(padding ?? (0, 0), nameof(padding));
        this.dilation = Pairs.Positive(dilation ?? (1, 1), nameof(dilation));
        ceil_mode = ceilMode;
        kernelArray = Pairs.ToArray(kernel_size);
        strideArray = Pairs.ToArray(this.stride);
        paddingArray = Pairs.ToArray(this.padding);
        dilationArray = Pairs.ToArray(this.dilation);
    }

    public (long h, long w) kernel_size { get; }
    public (long h, long w) stride { get; }
    public (long h, long w) padding { get; }
    public (long h, long w) dilation { get; }
    public bool ceil_mode { get; }

    public override Tensor forward(Tensor input) => torch.nn.functional.max_pool2d(input, kernelArray, strideArray, paddingArray, dilationArray, ceil_mode);

    public override string extra_repr() => $"kernel_size={kernel_size}, stride={stride}, padding={padding}, dilation={dilation}, ceil_mode={(ceil_mode ? "True" : "False")}";
}
