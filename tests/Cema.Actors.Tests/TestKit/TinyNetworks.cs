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

    // Construction draws from LibTorch's one global generator, which product code in other test classes (xunit runs them
    // in parallel; the simulator seeds it) draws from too. So the weights are then drawn again from a generator of our own.
    private static readonly object CacheLock = new();
    private static readonly Dictionary<long, DistillerModels> ModelsBySeed = new();

    /// <summary>A fresh edge network (seeded), the caller disposes it.</summary>
    public static ResNet NewEdge(long seed = 1) => Initialized(new ResNet(Edge), seed);

    /// <summary>
    /// Distiller inputs from networks initialized with <paramref name="seed"/>: a fresh copy of the same tensors on every call
    /// (built once per seed, so two calls of one test always agree); they stay alive for the test process.
    /// </summary>
    public static DistillerModels Models(long seed = 1)
    {
        lock (CacheLock)
        {
            if (!ModelsBySeed.TryGetValue(seed, out var models))
            {
                using var edge = Initialized(new ResNet(Edge), seed);
                using var foundation = Initialized(new ResNet(Foundation), seed + 1_000_003);
                models = new DistillerModels(Edge, Detached(edge.state_dict()), Foundation, Detached(foundation.state_dict()));
                ModelsBySeed[seed] = models;
            }
            return models with { EdgeState = Detached(models.EdgeState), FoundationState = Detached(models.FoundationState) };
        }
    }

    /// <summary>
    /// PyTorch's default initialization (kaiming_uniform with a = sqrt 5: uniform on ±1/sqrt(fan_in) for conv and linear
    /// weights and the classifier's bias) drawn from <paramref name="seed"/>'s own generator; norm layers keep their 1 and 0.
    /// </summary>
    private static ResNet Initialized(ResNet network, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        var parameters = network.named_parameters().ToList();
        long fcFanIn = parameters.Single(p => p.name == "fc.weight").parameter.shape[1];
        foreach (var (name, p) in parameters)
        {
            if (p.dim() < 2 && name != "fc.bias") continue;
            long fanIn = name == "fc.bias" ? fcFanIn : p.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            double bound = 1 / Math.Sqrt(fanIn);
            using var scope = torch.NewDisposeScope();
            p.copy_(torch.rand(p.shape, generator: generator) * (2 * bound) - bound);
        }
        return network;
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
