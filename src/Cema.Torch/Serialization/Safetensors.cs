using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;

namespace Cema.Torch.Serialization;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON naming each tensor's dtype, shape and byte range, then the tensors' bytes
/// (little-endian, row-major). The writer's output is byte-identical to Python's
/// <c>safetensors</c> writer (given at most one metadata entry, whose order Python leaves to
/// chance); the reader checks every header field before it touches the data.
/// Compatibility details and checks: src/Cema.Torch/README.md, section "Safetensors".
/// </summary>
public static class Safetensors
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // How Rust orders strings, and so how the reference writer orders names: by their UTF-8 bytes.
    private static readonly Comparer<byte[]> Utf8Order = Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y));

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/>. The file is written beside the
    /// target and moved over it when complete, so a failed save leaves any earlier file intact.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var layout = Plan(tensors, metadata);
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)layout.Header.Length);
                file.Write(length);
                file.Write(layout.Header);
                foreach (var (entry, tensor) in layout.Items) WriteBytes(file, tensor, entry.ByteLength);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The bytes <see cref="Save"/> would write.</summary>
    public static unsafe byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var layout = Plan(tensors, metadata);
        long dataStart = 8 + layout.Header.Length;
        long total = dataStart + layout.DataLength;
        if (total > Array.MaxLength)
            throw new InvalidOperationException($"the file would be {total} bytes, more than a byte array holds; write it with Save");

        var bytes = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)layout.Header.Length);
        layout.Header.CopyTo(bytes, 8);
        fixed (byte* p = bytes)
        {
            foreach (var (entry, tensor) in layout.Items) tensor.CopyBytesTo(p + dataStart + entry.Begin, entry.ByteLength);
        }
        return bytes;
    }

    /// <summary>Reads the file at <paramref name="path"/>; a malformed file raises <see cref="SafetensorsException"/> naming the path.</summary>
    public static unsafe SafetensorsFile Load(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = file.Length;
        try
        {
            // An empty file cannot be mapped; Read reports it as too short without touching memory.
            if (length == 0) return Read(null, 0);

            // Mapping rather than reading keeps files beyond a byte array's 2 GiB limit loadable.
            using var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            try
            {
                return Read(start + view.PointerOffset, length);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        catch (SafetensorsException e)
        {
            throw new SafetensorsException($"{path}: {e.Message}", e.TensorName, e.Field, e);
        }
    }

    /// <summary>Reads a whole safetensors file held in memory.</summary>
    public static unsafe SafetensorsFile Deserialize(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data) return Read(p, data.Length);
    }

    private static unsafe SafetensorsFile Read(byte* data, long length)
    {
        if (length < 8)
            throw SafetensorsHeader.Fault($"the file is {length} bytes, too short to hold the 8-byte header length", field: "header");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(data, 8));
        if (headerLength > (ulong)(length - 8))
            throw SafetensorsHeader.Fault($"the header length {headerLength} is larger than the file, which has {length - 8} bytes after the length", field: "header");
        if (headerLength > SafetensorsHeader.MaxLength)
            throw SafetensorsHeader.Fault($"the header length {headerLength} exceeds the {SafetensorsHeader.MaxLength}-byte limit of the reference reader", field: "header");

        var (entries, metadata) = SafetensorsHeader.Parse(new ReadOnlySpan<byte>(data + 8, (int)headerLength));
        byte* buffer = data + 8 + headerLength;
        var ordered = SafetensorsHeader.CheckLayout(entries, length - 8 - (long)headerLength);

        var tensors = new OrderedDictionary<string, Tensor>(ordered.Count, StringComparer.Ordinal);
        try
        {
            foreach (var e in ordered) tensors.Add(e.Name, Tensor.FromBytes(buffer + e.Begin, e.ByteLength, e.DType, e.Shape));
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new SafetensorsFile(tensors, metadata);
    }

    private sealed record Layout(byte[] Header, List<(SafetensorsEntry Entry, Tensor Tensor)> Items, long DataLength);

    /// <summary>Places the tensors in the data buffer in the reference writer's order and builds the header for them.</summary>
    private static Layout Plan(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var planned = new List<(string Name, byte[] Utf8, ScalarType DType, int Rank, Tensor Tensor)>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            if (tensor is null) throw new ArgumentException($"tensor \"{name}\" is null", nameof(tensors));
            if (name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"\"{name}\" is the header's metadata key and cannot name a tensor", nameof(tensors));
            var dtype = tensor.dtype;
            int rank = SafetensorsHeader.Rank(dtype);
            if (rank < 0) throw new ArgumentException($"tensor \"{name}\" has dtype {dtype}, which safetensors cannot store", nameof(tensors));
            planned.Add((name, StrictUtf8.GetBytes(name), dtype, rank, tensor));
        }

        // The reference writer sorts by dtype, descending, then by name.
        planned.Sort((a, b) => a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank) : Utf8Order.Compare(a.Utf8, b.Utf8));

        var items = new List<(SafetensorsEntry, Tensor)>(planned.Count);
        long offset = 0;
        foreach (var (name, _, dtype, _, tensor) in planned)
        {
            long n = tensor.ByteLength;
            items.Add((new SafetensorsEntry(name, dtype, tensor.shape, offset, offset + n), tensor));
            offset += n;
        }

        // The reference keeps metadata in a Rust HashMap, whose order changes from run to run; sorting
        // the keys the way names are sorted at least makes our output deterministic.
        var sortedMetadata = metadata?.OrderBy(kv => StrictUtf8.GetBytes(kv.Key), Utf8Order).ToList();
        return new Layout(SafetensorsHeader.Write(items.Select(i => i.Item1).ToList(), sortedMetadata), items, offset);
    }

    private static unsafe void WriteBytes(FileStream file, Tensor tensor, long length)
    {
        if (length == 0) return;
        // Native memory, because one tensor may exceed a byte array's 2 GiB limit.
        byte* bytes = (byte*)NativeMemory.Alloc((nuint)length);
        try
        {
            tensor.CopyBytesTo(bytes, length);
            for (long done = 0; done < length;)
            {
                int chunk = (int)Math.Min(length - done, int.MaxValue);
                file.Write(new ReadOnlySpan<byte>(bytes + done, chunk));
                done += chunk;
            }
        }
        finally
        {
            NativeMemory.Free(bytes);
        }
    }
}
