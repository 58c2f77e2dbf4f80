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

    // Seeding and drawing use LibTorch's one global generator, and xunit runs test classes in parallel: without the lock
    // two seeded constructions can interleave their draws and give other weights for the same seed.
    private static readonly object GeneratorLock = new();
    private static readonly Dictionary<long, DistillerModels> ModelsBySeed = new();

    /// <summary>A fresh edge network (seeded), the caller disposes it.</summary>
    public static ResNet NewEdge(long seed = 1)
    {
        lock (GeneratorLock)
        {
            torch.manual_seed(seed);
            return new ResNet(Edge);
        }
    }

    /// <summary>
    /// Distiller inputs from networks initialized with <paramref name="seed"/>: a fresh copy of the same tensors on every call
    /// (built once per seed, so two calls of one test always agree); they stay alive for the test process.
    /// </summary>
    public static DistillerModels Models(long seed = 1)
    {
        lock (GeneratorLock)
        {
            if (!ModelsBySeed.TryGetValue(seed, out var models))
            {
                torch.manual_seed(seed);
                using var edge = new ResNet(Edge);
                using var foundation = new ResNet(Foundation);
                models = new DistillerModels(Edge, Detached(edge.state_dict()), Foundation, Detached(foundation.state_dict()));
                ModelsBySeed[seed] = models;
            }
            return models with { EdgeState = Detached(models.EdgeState), FoundationState = Detached(models.FoundationState) };
        }
    }

    private static Dictionary<string, Tensor> Detached(IReadOnlyDictionary<string, Tensor> state) =>
        state.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());

    public static byte[] Images(int count, int seed)
    {
        var pixels = new byte[count * Dataset.PixelsPerImage];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }
}
