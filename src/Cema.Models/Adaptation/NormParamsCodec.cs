using System.Buffers.Binary;
using System.Numerics;
using Cema.Models.Data;

namespace Cema.Models.Adaptation;

/// <summary>
/// The wire format of <see cref="NormParams"/>, little-endian:
/// <code>
///  0  magic "CNPM"        4 bytes
///  4  format version      u16 (1)
///  6  encoding            u8  (NormParamsEncoding)
///  7  reserved            u8  (0)
///  8  version             i64
/// 16  base version        i64 (−1 unless Fp16Delta)
/// 24  layout hash         u64 (NormParamsLayout.Hash)
/// 32  count               i32 (floats in the payload)
/// 36  crc32               u32 (CRC-32 of bytes 0–35 and of the body)
/// 40  body: Fp32: count × f32 | Fp16: count × f16 |
///           Fp16Delta: ⌈count/8⌉-byte mask (bit i, LSB first, = entry i changed), then f16 of each changed entry
/// </code>
/// </summary>
internal static class NormParamsCodec
{
    public const int HeaderSize = 40;
    public const ushort FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CNPM"u8;
    private const int CrcOffset = 36;

    public static int ByteSize(NormParams p, NormParamsEncoding encoding, NormParams? @base) => encoding switch
    {
        NormParamsEncoding.Fp32 => HeaderSize + 4 * p.Layout.Count,
        NormParamsEncoding.Fp16 => HeaderSize + 2 * p.Layout.Count,
        NormParamsEncoding.Fp16Delta => HeaderSize + MaskSize(p.Layout.Count) + 2 * ChangedEntries(p, RequireBase(p, @base)).Count,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown encoding"),
    };

    public static byte[] Encode(NormParams p, NormParamsEncoding encoding, NormParams? @base)
    {
        var bytes = new byte[ByteSize(p, encoding, @base)];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        span[6] = (byte)encoding;
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], p.Version);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], encoding == NormParamsEncoding.Fp16Delta ? @base!.Version : -1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], p.Layout.Hash);
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], p.Layout.Count);

        var body = span[HeaderSize..];
        var values = p.Values;
        switch (encoding)
        {
            case NormParamsEncoding.Fp32:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(body[(4 * i)..], values[i]);
                break;
            case NormParamsEncoding.Fp16:
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(body[(2 * i)..], Fp16Bits(values[i]));
                break;
            case NormParamsEncoding.Fp16Delta:
                var changed = ChangedEntries(p, @base!);
                var halves = body[MaskSize(values.Length)..];
                for (int k = 0; k < changed.Count; k++)
                {
                    int i = changed[k];
                    body[i / 8] |= (byte)(1 << (i % 8));
                    BinaryPrimitives.WriteUInt16LittleEndian(halves[(2 * k)..], Fp16Bits(values[i]));
                }
                break;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[CrcOffset..], Checksum(span));
        return bytes;
    }

    public static NormParams Decode(ReadOnlySpan<byte> bytes, NormParamsLayout layout, NormParams? @base)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (bytes.Length < HeaderSize) throw Error("header", $"truncated: {bytes.Length} bytes, the header alone needs {HeaderSize}");
        if (!bytes[..4].SequenceEqual(Magic)) throw Error("magic", $"expected \"CNPM\", got {Convert.ToHexString(bytes[..4])}");
        ushort format = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (format != FormatVersion) throw Error("format version", $"{format} is not supported (this reader knows {FormatVersion})");
        var encoding = (NormParamsEncoding)bytes[6];
        if (!Enum.IsDefined(encoding)) throw Error("encoding", $"unknown encoding {bytes[6]}");
        long version = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        long baseVersion = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        ulong layoutHash = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[32..]);
        if (count < 0) throw Error("count", $"{count} is negative");

        var body = bytes[HeaderSize..];
        long expected = BodySize(encoding, count, body);
        if (body.Length < expected) throw Error("body", $"truncated: {encoding} with {count} values needs {expected} bytes after the header, got {body.Length}");
        if (body.Length > expected) throw Error("body", $"{body.Length - expected} bytes past the end of the {encoding} body");
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes[CrcOffset..]);
        uint actual = Checksum(bytes);
        if (crc != actual) throw Error("crc32", $"stored {crc:x8}, computed {actual:x8}: the bytes were damaged");
        if (layoutHash != layout.Hash) throw Error("layout hash", $"payload is for layout {layoutHash:x16}, this model's is {layout.Hash:x16}");
        if (count != layout.Count) throw Error("count", $"{count} values, the layout holds {layout.Count}");

        var values = new float[count];
        switch (encoding)
        {
            case NormParamsEncoding.Fp32:
                for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(4 * i)..]);
                break;
            case NormParamsEncoding.Fp16:
                for (int i = 0; i < count; i++) values[i] = Fp16Value(BinaryPrimitives.ReadUInt16LittleEndian(body[(2 * i)..]));
                break;
            case NormParamsEncoding.Fp16Delta:
                if (@base is null) throw Error("base version", $"a delta against version {baseVersion} needs that version as base");
                if (@base.Version != baseVersion) throw Error("base version", $"delta is against version {baseVersion}, the base given is version {@base.Version}");
                if (@base.Layout.Hash != layoutHash) throw Error("layout hash", $"delta is for layout {layoutHash:x16}, the base's is {@base.Layout.Hash:x16}");
                var halves = body[MaskSize(count)..];
                int k = 0;
                for (int i = 0; i < count; i++)
                {
                    bool changed = (body[i / 8] & (1 << (i % 8))) != 0;
                    values[i] = changed ? Fp16Value(BinaryPrimitives.ReadUInt16LittleEndian(halves[(2 * k++)..])) : Fp16Value(Fp16Bits(@base.Values[i]));
                }
                break;
        }
        return new NormParams(version, layout, values);
    }

    private static long BodySize(NormParamsEncoding encoding, int count, ReadOnlySpan<byte> body)
    {
        switch (encoding)
        {
            case NormParamsEncoding.Fp32: return 4L * count;
            case NormParamsEncoding.Fp16: return 2L * count;
            default:
                int maskSize = MaskSize(count);
                if (body.Length < maskSize) return maskSize;
                var mask = body[..maskSize];
                // Bits past the last entry must be clear, or the count of changed values would be ambiguous.
                if (count % 8 != 0 && (mask[^1] >> (count % 8)) != 0) throw Error("body", "delta mask has bits set past the last value");
                long changed = 0;
                foreach (byte b in mask) changed += BitOperations.PopCount(b);
                return maskSize + 2 * changed;
        }
    }

    /// <summary>Entries whose fp16 value differs from the base's fp16 value (bit patterns, so −0 and +0 differ and NaN equals itself).</summary>
    private static List<int> ChangedEntries(NormParams p, NormParams @base)
    {
        var changed = new List<int>();
        ReadOnlySpan<float> values = p.Values, baseValues = @base.Values;
        for (int i = 0; i < values.Length; i++)
        {
            if (Fp16Bits(values[i]) != Fp16Bits(baseValues[i])) changed.Add(i);
        }
        return changed;
    }

    private static NormParams RequireBase(NormParams p, NormParams? @base)
    {
        if (@base is null) throw new ArgumentNullException(nameof(@base), "Fp16Delta needs the base version the receiver holds");
        if (!@base.Layout.Equals(p.Layout)) throw new ArgumentException("the base has a different layout", nameof(@base));
        return @base;
    }

    private static int MaskSize(int count) => (count + 7) / 8;

    private static ushort Fp16Bits(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    private static float Fp16Value(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    // The CRC covers everything except its own four bytes.
    private static uint Checksum(ReadOnlySpan<byte> message) =>
        Crc32.Update(Crc32.Update(Crc32.Initial, message[..CrcOffset]), message[HeaderSize..]) ^ Crc32.Initial;

    private static NormParamsFormatException Error(string field, string message) => new(field, message);
}
