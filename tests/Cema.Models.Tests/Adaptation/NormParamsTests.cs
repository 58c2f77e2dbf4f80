using Cema.Models.Adaptation;
using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Models.Tests.Adaptation;

public class NormParamsTests
{
    /// <summary>Norm params of a tiny edge net, with every value set to something other than its initial 0 or 1.</summary>
    private static NormParams Distinct(long version, ulong seed, ResNetSpec? spec = null)
    {
        using var edge = new ResNet(spec ?? TinyNets.EdgeSpec);
        var layout = NormParamsLayout.Of(edge);
        using var generator = new Generator(seed);
        using var noise = torch.rand(new long[] { layout.Count }, ScalarType.Float32, generator);
        // Positive values (running variances must be), spread over several binades so fp16 rounding shows.
        float[] values = noise.ToArray<float>().Select((v, i) => (0.01f + 3 * v) * (i % 3 == 0 ? 17.3f : 1)).ToArray();
        return new NormParams(version, layout, values);
    }

    private static float Fp16(float v) => (float)(Half)v;

    [Fact]
    public void The_layout_lists_every_norm_layer_in_module_order()
    {
        using var edge = TinyNets.Edge();
        var layout = NormParamsLayout.Of(edge);
        Assert.Equal(edge.NormLayers().Select(l => l.name), layout.Layers.Select(l => l.Name));
        Assert.Equal("bn1", layout.Layers[0].Name);
        Assert.Equal(4, layout.Layers[0].Channels);
        Assert.Equal(4 * edge.NormLayers().Sum(l => (int)l.layer.num_features), layout.Count);
        using var foundation = TinyNets.Foundation();
        Assert.NotEqual(layout.Hash, NormParamsLayout.Of(foundation).Hash);
    }

    [Fact]
    public void Extract_and_apply_carry_gamma_beta_and_running_statistics()
    {
        var p = Distinct(version: 3, seed: 1);
        using var edge = TinyNets.Edge();
        NormLayers.PrepareForAdaptation(edge);   // waiting for a first batch…
        p.ApplyTo(edge);
        Assert.All(NormLayers.Of(edge), l => Assert.False(l.layer.RunningStatsPending));   // …not any more: it has the cloud's statistics

        var back = NormParams.From(edge, version: 3);
        Assert.Equal(p.Values.ToArray(), back.Values.ToArray());
        var (_, first) = NormLayers.Of(edge).First();
        int c = (int)first.num_features;
        Assert.Equal(p.Values[..c].ToArray(), first.weight!.ToArray<float>());
        Assert.Equal(p.Values[c..(2 * c)].ToArray(), first.bias!.ToArray<float>());
        Assert.Equal(p.Values[(2 * c)..(3 * c)].ToArray(), first.running_mean!.ToArray<float>());
        Assert.Equal(p.Values[(3 * c)..(4 * c)].ToArray(), first.running_var!.ToArray<float>());
        Assert.False(first.weight!.has_grad_fn);
    }

    [Fact]
    public void Fp32_round_trips_exactly()
    {
        var p = Distinct(version: 7, seed: 2);
        byte[] bytes = p.Encode(NormParamsEncoding.Fp32);
        Assert.Equal(40 + 4 * p.Layout.Count, bytes.Length);
        Assert.Equal(bytes.Length, p.ByteSize(NormParamsEncoding.Fp32));
        var q = NormParams.Decode(bytes, p.Layout);
        Assert.Equal(7, q.Version);
        Assert.Equal(p.Values.ToArray(), q.Values.ToArray());
    }

    [Fact]
    public void Fp16_round_trips_within_fp16_precision()
    {
        var p = Distinct(version: 7, seed: 3);
        byte[] bytes = p.Encode(NormParamsEncoding.Fp16);
        Assert.Equal(40 + 2 * p.Layout.Count, bytes.Length);
        Assert.Equal(bytes.Length, p.ByteSize(NormParamsEncoding.Fp16));
        var q = NormParams.Decode(bytes, p.Layout);
        for (int i = 0; i < p.Layout.Count; i++)
        {
            Assert.Equal(Fp16(p.Values[i]), q.Values[i]);
            Assert.True(Math.Abs(p.Values[i] - q.Values[i]) <= Math.Abs(p.Values[i]) * 4.9e-4, $"entry {i}: {p.Values[i]} became {q.Values[i]}");
        }
        Assert.Contains(Enumerable.Range(0, p.Layout.Count), i => p.Values[i] != q.Values[i]);
    }

    [Fact]
    public void A_delta_applied_to_its_base_reproduces_the_fp16_of_the_target()
    {
        var @base = Distinct(version: 4, seed: 4);
        float[] target = @base.Values.ToArray();
        int[] moved = { 0, 9, 10, 63, target.Length - 1 };
        foreach (int i in moved) target[i] *= 1.5f;
        target[20] += target[20] * 1e-5f;   // below fp16 resolution: not a change
        var next = new NormParams(5, @base.Layout, target);

        byte[] delta = next.Encode(NormParamsEncoding.Fp16Delta, @base);
        int maskBytes = (target.Length + 7) / 8;
        Assert.Equal(40 + maskBytes + 2 * moved.Length, delta.Length);
        Assert.Equal(delta.Length, next.ByteSize(NormParamsEncoding.Fp16Delta, @base));

        var decoded = NormParams.Decode(delta, @base.Layout, @base);
        var viaFp16 = NormParams.Decode(next.Encode(NormParamsEncoding.Fp16), @base.Layout);
        Assert.Equal(5, decoded.Version);
        Assert.Equal(viaFp16.Values.ToArray(), decoded.Values.ToArray());
    }

    [Fact]
    public void The_delta_of_unchanged_params_is_only_header_and_mask()
    {
        var p = Distinct(version: 4, seed: 5, ResNetSpec.Edge);   // the real edge network
        Assert.Equal(1_344, p.Layout.Count);
        var same = new NormParams(5, p.Layout, p.Values);
        byte[] delta = same.Encode(NormParamsEncoding.Fp16Delta, p);
        Assert.Equal(40 + (p.Layout.Count + 7) / 8, delta.Length);
        Assert.True(delta.Length * 10 < p.ByteSize(NormParamsEncoding.Fp16), $"{delta.Length} bytes is not tiny next to {p.ByteSize(NormParamsEncoding.Fp16)}");
        Assert.Equal(NormParams.Decode(p.Encode(NormParamsEncoding.Fp16), p.Layout).Values.ToArray(), NormParams.Decode(delta, p.Layout, p).Values.ToArray());
    }

    private static string FieldOf(Action decode) => Assert.Throws<NormParamsFormatException>(decode).Field;

    [Fact]
    public void Bad_bytes_are_refused_naming_the_field()
    {
        var p = Distinct(version: 4, seed: 6);
        var next = new NormParams(5, p.Layout, p.Values.ToArray().Select(v => v * 2).ToArray());
        byte[] fp32 = p.Encode(NormParamsEncoding.Fp32);
        byte[] delta = next.Encode(NormParamsEncoding.Fp16Delta, p);
        using var foundation = TinyNets.Foundation();
        var otherLayout = NormParamsLayout.Of(foundation);

        Assert.Equal("header", FieldOf(() => NormParams.Decode(fp32.AsSpan(0, 39), p.Layout)));
        Assert.Equal("body", FieldOf(() => NormParams.Decode(fp32.AsSpan(0, fp32.Length - 1), p.Layout)));
        Assert.Equal("body", FieldOf(() => NormParams.Decode(fp32.Concat(new byte[] { 0 }).ToArray(), p.Layout)));
        Assert.Equal("body", FieldOf(() => NormParams.Decode(delta.AsSpan(0, 45), p.Layout, p)));
        Assert.Equal("layout hash", FieldOf(() => NormParams.Decode(fp32, otherLayout)));
        Assert.Equal("base version", FieldOf(() => NormParams.Decode(delta, p.Layout)));
        Assert.Equal("base version", FieldOf(() => NormParams.Decode(delta, p.Layout, next)));

        byte[] damaged = (byte[])fp32.Clone();
        damaged[100] ^= 0x10;
        Assert.Equal("crc32", FieldOf(() => NormParams.Decode(damaged, p.Layout)));
        byte[] relabelled = (byte[])fp32.Clone();
        relabelled[8] ^= 1;   // the version is covered by the checksum too
        Assert.Equal("crc32", FieldOf(() => NormParams.Decode(relabelled, p.Layout)));

        byte[] magic = (byte[])fp32.Clone();
        magic[0] = (byte)'X';
        Assert.Equal("magic", FieldOf(() => NormParams.Decode(magic, p.Layout)));
        byte[] format = (byte[])fp32.Clone();
        format[4] = 9;
        Assert.Equal("format version", FieldOf(() => NormParams.Decode(format, p.Layout)));
        byte[] encoding = (byte[])fp32.Clone();
        encoding[6] = 7;
        Assert.Equal("encoding", FieldOf(() => NormParams.Decode(encoding, p.Layout)));

        var e = Assert.Throws<NormParamsFormatException>(() => NormParams.Decode(fp32, otherLayout));
        Assert.Contains("layout hash", e.Message);
    }

    [Fact]
    public void Encoding_and_applying_check_their_inputs()
    {
        var p = Distinct(version: 1, seed: 7);
        Assert.Throws<ArgumentNullException>(() => p.Encode(NormParamsEncoding.Fp16Delta));
        using var foundation = TinyNets.Foundation();
        var other = NormParams.From(foundation, version: 1);
        Assert.Throws<ArgumentException>(() => p.Encode(NormParamsEncoding.Fp16Delta, other));
        Assert.Contains("layout hash", Assert.Throws<ArgumentException>(() => p.ApplyTo(foundation)).Message);
        Assert.Throws<ArgumentException>(() => new NormParams(1, p.Layout, new float[3]));
    }
}
