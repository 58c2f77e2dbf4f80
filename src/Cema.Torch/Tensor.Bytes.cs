using Cema.Torch.Native;

namespace Cema.Torch;

// Raw element bytes, for file formats that store tensors as untyped little-endian buffers
// (e.g. safetensors). CopyTo<T>/torch.tensor<T> cannot serve them: BFloat16 has no C# element type.
public sealed partial class Tensor
{
    /// <summary>The size of the elements in bytes: numel() × element size.</summary>
    internal long ByteLength => checked(numel() * ScalarTypeInfo.ElementSize(dtype));

    /// <summary>Copies the elements as raw bytes, row-major, into <paramref name="destination"/> (exactly <see cref="ByteLength"/> bytes).</summary>
    internal unsafe void CopyBytesTo(byte* destination, long length)
    {
        RequireLittleEndianHost();
        Status.Check(LibTorch.cema_copy_to_buffer(Handle, destination, length));
    }

    /// <summary>A new tensor holding a copy of <paramref name="length"/> raw row-major bytes of <paramref name="dtype"/> elements.</summary>
    internal static unsafe Tensor FromBytes(byte* data, long length, ScalarType dtype, long[] shape)
    {
        RequireLittleEndianHost();
        fixed (long* s = shape)
            return Status.Wrap(LibTorch.cema_from_buffer(data, length, s, shape.Length, (int)dtype, out var r), r);
    }

    // The byte formats that use these helpers are little-endian; copying native memory as-is is only right on such a host.
    private static void RequireLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("raw tensor bytes are little-endian; this host is big-endian");
    }
}
