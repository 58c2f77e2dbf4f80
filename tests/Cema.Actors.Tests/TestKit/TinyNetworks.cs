using Cema.Actors.Distiller;
using Cema.Models.Data;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Actors.Tests.TestKit;

/// <summary>Random-initialized ResNets small enough for actor tests, and random 28×28 images.</summary>
public static class TinyNetworks
{
    public static ResNetSpec Edge { get; } = new("tiny-edge", ResNetBlock.Basic,
        Widths: new[] { 4, 8, 8 }, Depths: new[] { 1, 1, 1 }, Strides: new[] { 1, 2, 2 },
        StemChannels: 4, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    public static ResNetSpec Foundation { get; } = new("tiny-foundation", ResNetBlock.Basic,
        Widths: new[] { 8, 8, 8 }, Depths: new[] { 1, 1, 1 }, Strides: new[] { 1, 2, 2 },
        StemChannels: 8, StemKernel: 3, StemStride: 1, StemMaxPool: false);

    /// <summary>A fresh edge network (seeded), the caller disposes it.</summary>
    public static ResNet NewEdge(long seed = 1)
    {
        torch.manual_seed(seed);
        return new ResNet(Edge);
    }

    /// <summary>Distiller inputs from freshly initialized networks; their state tensors stay alive for the test process.</summary>
    public static DistillerModels Models(long seed = 1)
    {
        torch.manual_seed(seed);
        using var edge = new ResNet(Edge);
        using var foundation = new ResNet(Foundation);
        return new DistillerModels(Edge, Detached(edge.state_dict()), Foundation, Detached(foundation.state_dict()));
    }

    private static Dictionary<string, Tensor> Detached(Dictionary<string, Tensor> state) =>
        state.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());

    public static byte[] Images(int count, int seed)
    {
        var pixels = new byte[count * Dataset.PixelsPerImage];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }
}
