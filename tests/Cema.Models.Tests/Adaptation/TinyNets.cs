using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Models.Tests.Adaptation;

/// <summary>Small random-initialized ResNets and inputs, so adaptation tests run in milliseconds.</summary>
internal static class TinyNets
{
    public static readonly ResNetSpec EdgeSpec = new("tiny-edge", ResNetBlock.Basic,
        Widths: new[] { 4, 8 }, Depths: new[] { 1, 1 }, Strides: new[] { 1, 2 },
        StemChannels: 4, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    public static readonly ResNetSpec FoundationSpec = new("tiny-foundation", ResNetBlock.Basic,
        Widths: new[] { 8, 16 }, Depths: new[] { 1, 1 }, Strides: new[] { 1, 2 },
        StemChannels: 8, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    public static ResNet Edge() => new(EdgeSpec);

    public static ResNet Foundation() => new(FoundationSpec);

    /// <summary>N grey 12×12 images of standard-normal pixels, drawn from <paramref name="seed"/>.</summary>
    public static Tensor Images(int n, ulong seed)
    {
        using var generator = new Generator(seed);
        return torch.randn(new long[] { n, 1, 12, 12 }, ScalarType.Float32, generator);
    }
}
