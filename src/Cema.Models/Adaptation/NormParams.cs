using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation;

/// <summary>
/// One version of everything CEMA changes in a model: γ, β, running mean and running variance of every
/// norm layer, flattened in <see cref="Layout"/> order as float32. This is what the cloud sends to edges;
/// <see cref="Version"/> lets an edge tell a newer update from a stale one and names the base of a delta.
/// Immutable.
/// </summary>
public sealed class NormParams
{
    private readonly float[] values;

    public NormParams(long version, NormParamsLayout layout, ReadOnlySpan<float> values)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        if (values.Length != layout.Count)
            throw new ArgumentException($"layout holds {layout.Count} values, got {values.Length}", nameof(values));
        Version = version;
        this.values = values.ToArray();
    }

    public long Version { get; }
    public NormParamsLayout Layout { get; }
    public ReadOnlySpan<float> Values => values;

    /// <summary>The norm parameters and running statistics of <paramref name="module"/> now, labelled <paramref name="version"/>.</summary>
    public static NormParams From(Module module, long version)
    {
        var layout = NormParamsLayout.Of(module);
        var values = new float[layout.Count];
        int offset = 0;
        using var scope = torch.NewDisposeScope();
        foreach (var (_, layer) in NormLayers.Of(module))
        {
            foreach (var tensor in Tensors(layer))
            {
                int n = (int)tensor.numel();
                tensor.detach().to(ScalarType.Float32).CopyTo<float>(values.AsSpan(offset, n));
                offset += n;
            }
        }
        return new NormParams(version, layout, values);
    }

    /// <summary>
    /// Writes these values into <paramref name="module"/>'s norm layers (in place, no autograd) and makes
    /// them keep the running statistics just written rather than take the next batch's.
    /// </summary>
    public void ApplyTo(Module module)
    {
        var layout = NormParamsLayout.Of(module);
        if (!layout.Equals(Layout))
            throw new ArgumentException($"the module's norm layers (layout hash {layout.Hash:x16}, {layout.Layers.Count} layers) " +
                $"do not match these params (layout hash {Layout.Hash:x16}, {Layout.Layers.Count} layers)", nameof(module));
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        int offset = 0;
        foreach (var (_, layer) in NormLayers.Of(module))
        {
            foreach (var tensor in Tensors(layer))
            {
                int n = (int)tensor.numel();
                tensor.copy_(torch.tensor<float>(values.AsSpan(offset, n), n));
                offset += n;
            }
            layer.KeepRunningStats();
        }
    }

    private static Tensor[] Tensors(BatchNorm2d layer) => new[] { layer.weight!, layer.bias!, layer.running_mean!, layer.running_var! };

    /// <summary>The bytes of this version in <paramref name="encoding"/>; <see cref="NormParamsEncoding.Fp16Delta"/> needs the <paramref name="base"/> the receiver holds.</summary>
    public byte[] Encode(NormParamsEncoding encoding, NormParams? @base = null) => NormParamsCodec.Encode(this, encoding, @base);

    /// <summary>What <see cref="Encode"/> would return, in bytes, without building it.</summary>
    public int ByteSize(NormParamsEncoding encoding, NormParams? @base = null) => NormParamsCodec.ByteSize(this, encoding, @base);

    /// <summary>
    /// Reads bytes made by <see cref="Encode"/> for a model of <paramref name="layout"/> (the payload carries
    /// only the layout's hash, to stay small). A delta also needs its <paramref name="base"/>.
    /// </summary>
    /// <exception cref="NormParamsFormatException">naming the field at fault (header, magic, format version,
    /// encoding, count, body, crc32, layout hash, base version).</exception>
    public static NormParams Decode(ReadOnlySpan<byte> bytes, NormParamsLayout layout, NormParams? @base = null) =>
        NormParamsCodec.Decode(bytes, layout, @base);
}
