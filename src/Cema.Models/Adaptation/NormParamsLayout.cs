using System.Text;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation;

/// <summary>One normalization layer's place in a <see cref="NormParams"/> payload.</summary>
public sealed record NormLayerShape(string Name, int Channels);

/// <summary>
/// Which norm layers a <see cref="NormParams"/> payload holds, in order, and how wide each is. Per layer
/// the payload holds γ, β, running mean, running variance (Channels floats each). Two models can
/// exchange parameters only if their layouts are equal; <see cref="Hash"/> lets a message carry that
/// check in 8 bytes instead of the names.
/// </summary>
public sealed class NormParamsLayout : IEquatable<NormParamsLayout>
{
    /// <summary>γ, β, running mean, running variance.</summary>
    public const int TensorsPerLayer = 4;

    public NormParamsLayout(IEnumerable<NormLayerShape> layers)
    {
        Layers = layers.ToArray();
        if (Layers.Count == 0) throw new ArgumentException("a layout needs at least one norm layer", nameof(layers));
        foreach (var layer in Layers)
        {
            if (layer.Channels <= 0) throw new ArgumentException($"norm layer '{layer.Name}' has {layer.Channels} channels", nameof(layers));
        }
        Count = Layers.Sum(l => TensorsPerLayer * l.Channels);
        Hash = ComputeHash(Layers);
    }

    public IReadOnlyList<NormLayerShape> Layers { get; }

    /// <summary>Floats in a payload of this layout.</summary>
    public int Count { get; }

    /// <summary>FNV-1a (64-bit) of "name:channels;" for every layer, in order.</summary>
    public ulong Hash { get; }

    /// <summary>The layout of <paramref name="module"/>'s BatchNorm2d layers (module order); every one must be affine and track running statistics.</summary>
    public static NormParamsLayout Of(Module module)
    {
        var shapes = new List<NormLayerShape>();
        foreach (var (name, layer) in NormLayers.Of(module))
        {
            if (!layer.affine || !layer.track_running_stats)
                throw new ArgumentException($"norm layer '{name}' must be affine and track running statistics to be adapted", nameof(module));
            shapes.Add(new NormLayerShape(name, checked((int)layer.num_features)));
        }
        return new NormParamsLayout(shapes);
    }

    private static ulong ComputeHash(IEnumerable<NormLayerShape> layers)
    {
        ulong h = 14695981039346656037UL;
        foreach (var layer in layers)
        {
            foreach (byte b in Encoding.UTF8.GetBytes($"{layer.Name}:{layer.Channels};"))
            {
                h ^= b;
                h *= 1099511628211UL;
            }
        }
        return h;
    }

    public bool Equals(NormParamsLayout? other) => other is not null && Hash == other.Hash && Layers.SequenceEqual(other.Layers);
    public override bool Equals(object? obj) => Equals(obj as NormParamsLayout);
    public override int GetHashCode() => Hash.GetHashCode();
}
