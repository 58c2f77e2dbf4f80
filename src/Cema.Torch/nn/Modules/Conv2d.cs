namespace Cema.Torch.Modules;

/// <summary>2-d convolution over (N, C, H, W) input, as PyTorch's <c>torch.nn.Conv2d</c>.</summary>
public class Conv2d : Module
{
    // functional.conv2d takes arrays; kept once instead of built on every forward.
    private readonly long[] strideArray, paddingArray, dilationArray;

    public Conv2d(long inChannels, long outChannels, (long h, long w) kernelSize, (long h, long w)? stride = null, (long h, long w)? padding = null,
        (long h, long w)? dilation = null, long groups = 1, bool bias = true)
    {
        if (groups <= 0) throw new ArgumentOutOfRangeException(nameof(groups), groups, "groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException($"in_channels ({inChannels}) must be divisible by groups ({groups})", nameof(inChannels));
        if (outChannels % groups != 0) throw new ArgumentException($"out_channels ({outChannels}) must be divisible by groups ({groups})", nameof(outChannels));
        in_channels = inChannels;
        out_channels = outChannels;
        this.groups = groups;
        kernel_size = Pairs.Positive(kernelSize, nameof(kernelSize));
        this.stride = Pairs.Positive(stride ?? (1, 1), nameof(stride));
        this.padding = Pairs.NonNegative(padding ?? (0, 0), nameof(padding));
        this.dilation = Pairs.Positive(dilation ?? (1, 1), nameof(dilation));
        strideArray = Pairs.ToArray(this.stride);
        paddingArray = Pairs.ToArray(this.padding);
        dilationArray = Pairs.ToArray(this.dilation);

        RegisterParameter("weight", torch.empty(outChannels, inChannels / groups, kernel_size.h, kernel_size.w));
        RegisterParameter("bias", bias ? torch.empty(outChannels) : null);
        reset_parameters();
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public (long h, long w) kernel_size { get; }
    public (long h, long w) stride { get; }
    public (long h, long w) padding { get; }
    public (long h, long w) dilation { get; }
    public long groups { get; }

    /// <summary>Shape (out_channels, in_channels / groups, kH, kW).</summary>
    public Tensor weight => GetParameter("weight")!;

    /// <summary>Shape (out_channels), or null when built with bias: false.</summary>
    public Tensor? bias => GetParameter("bias");

    /// <summary>PyTorch's default: kaiming_uniform(a = sqrt 5) weights, bias uniform on ±1/sqrt(fan_in).</summary>
    public void reset_parameters()
    {
        torch.nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is { } b)
        {
            var (fanIn, _) = torch.nn.init.calculate_fan_in_and_fan_out(weight);
            if (fanIn != 0)
            {
                double bound = 1 / Math.Sqrt(fanIn);
                torch.nn.init.uniform_(b, -bound, bound);
            }
        }
    }

    public override Tensor forward(Tensor input) => torch.nn.functional.conv2d(input, weight, bias, strideArray, paddingArray, dilationArray, groups);

    public override string extra_repr()
    {
        var s = $"{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}";
        if (padding != (0, 0)) s += $", padding={padding}";
        if (dilation != (1, 1)) s += $", dilation={dilation}";
        if (groups != 1) s += $", groups={groups}";
        if (bias is null) s += ", bias=False";
        return s;
    }
}
