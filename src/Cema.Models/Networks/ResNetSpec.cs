namespace Cema.Models.Networks;

/// <summary>Which residual block a ResNet stacks.</summary>
public enum ResNetBlock
{
    /// <summary>Two 3×3 convolutions (ResNet-18/34).</summary>
    Basic,

    /// <summary>1×1 → 3×3 → 1×1 with 4× expansion (ResNet-50/101).</summary>
    Bottleneck,
}

/// <summary>
/// Everything that shapes a ResNet: stem, block kind, stage widths/depths/strides, head.
/// One builder (<see cref="ResNet"/>) turns any spec into a network whose parameter names are
/// torchvision's (conv1, bn1, layerN.M.convK, layerN.M.downsample.0, fc).
/// </summary>
public sealed record ResNetSpec(
    string Name,
    ResNetBlock Block,
    int[] Widths,
    int[] Depths,
    int[] Strides,
    int StemChannels,
    int StemKernel,
    int StemStride,
    bool StemMaxPool,
    int InChannels = 1,
    int NumClasses = 10)
{
    /// <summary>
    /// The edge network: a 3-stage ResNet-8 (one basic block per stage, widths 16/32/64, ~78 k
    /// parameters, ~9.3 M multiply-accumulates per 28×28 image), small enough for a camera-class device.
    /// </summary>
    public static ResNetSpec Edge { get; } = new("edge", ResNetBlock.Basic,
        Widths: new[] { 16, 32, 64 }, Depths: new[] { 1, 1, 1 }, Strides: new[] { 1, 2, 2 },
        StemChannels: 16, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    /// <summary>
    /// The cloud's foundation network: 1.5× wider and twice as deep as the edge network (ResNet-14,
    /// widths 24/48/96, two basic blocks per stage, ~0.39 M parameters, ~4.9× the edge's MACs). The
    /// cloud runs it on every 128-image distillation step, so it is kept near 4–5× the edge's cost.
    /// </summary>
    public static ResNetSpec Foundation { get; } = new("foundation", ResNetBlock.Basic,
        Widths: new[] { 24, 48, 96 }, Depths: new[] { 2, 2, 2 }, Strides: new[] { 1, 2, 2 },
        StemChannels: 24, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    /// <summary>The network of <c>cema bench binding</c>, the same as its C++ peer (native/bench/binding_bench.cpp).</summary>
    public static ResNetSpec BindingBench { get; } = new("binding-bench", ResNetBlock.Basic,
        Widths: new[] { 16, 32, 64 }, Depths: new[] { 1, 1, 1 }, Strides: new[] { 1, 2, 2 },
        StemChannels: 16, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    /// <summary>torchvision.models.resnet18 (3-channel input, 1000 classes by default).</summary>
    public static ResNetSpec ResNet18(int numClasses = 1000, int inChannels = 3) => new("resnet18", ResNetBlock.Basic,
        Widths: new[] { 64, 128, 256, 512 }, Depths: new[] { 2, 2, 2, 2 }, Strides: new[] { 1, 2, 2, 2 },
        StemChannels: 64, StemKernel: 7, StemStride: 2, StemMaxPool: true, inChannels, numClasses);

    /// <summary>torchvision.models.resnet50.</summary>
    public static ResNetSpec ResNet50(int numClasses = 1000, int inChannels = 3) => new("resnet50", ResNetBlock.Bottleneck,
        Widths: new[] { 64, 128, 256, 512 }, Depths: new[] { 3, 4, 6, 3 }, Strides: new[] { 1, 2, 2, 2 },
        StemChannels: 64, StemKernel: 7, StemStride: 2, StemMaxPool: true, inChannels, numClasses);

    public static ResNetSpec ByName(string name) => name switch
    {
        "edge" => Edge,
        "foundation" => Foundation,
        "binding-bench" => BindingBench,
        "resnet18" => ResNet18(),
        "resnet50" => ResNet50(),
        _ => throw new ArgumentException($"unknown network '{name}' (expected edge, foundation, resnet18 or resnet50)", nameof(name)),
    };

    internal int Expansion => Block == ResNetBlock.Bottleneck ? 4 : 1;

    /// <summary>Multiply-accumulates of one forward pass of one image of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public long MacsPerImage(int height = 28, int width = 28)
    {
        long macs = 0;
        int h = Out(height, StemKernel, StemStride, StemKernel / 2), w = Out(width, StemKernel, StemStride, StemKernel / 2);
        macs += (long)h * w * StemChannels * InChannels * StemKernel * StemKernel;
        if (StemMaxPool) { h = Out(h, 3, 2, 1); w = Out(w, 3, 2, 1); }
        int inC = StemChannels;
        for (int s = 0; s < Widths.Length; s++)
        {
            for (int b = 0; b < Depths[s]; b++)
            {
                int stride = b == 0 ? Strides[s] : 1;
                int width_ = Widths[s], outC = width_ * Expansion;
                int oh = Out(h, 3, stride, 1), ow = Out(w, 3, stride, 1);
                if (Block == ResNetBlock.Basic)
                {
                    macs += (long)oh * ow * width_ * inC * 9 + (long)oh * ow * width_ * width_ * 9;
                }
                else
                {
                    macs += (long)h * w * width_ * inC + (long)oh * ow * width_ * width_ * 9 + (long)oh * ow * outC * width_;
                }
                if (stride != 1 || inC != outC) macs += (long)oh * ow * outC * inC;
                h = oh; w = ow; inC = outC;
            }
        }
        return macs + (long)inC * NumClasses;
    }

    private static int Out(int size, int kernel, int stride, int padding) => (size + 2 * padding - kernel) / stride + 1;
}
