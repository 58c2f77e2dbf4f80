using System.Buffers.Binary;
using System.IO.Compression;

namespace Cema.Models.Tests.Data;

/// <summary>Writes hand-built gzip'd IDX files into a temporary directory that is deleted afterwards.</summary>
internal sealed class IdxFiles : IDisposable
{
    public IdxFiles() => Directory.CreateDirectory(DirectoryPath);

    public string DirectoryPath { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cema-idx-" + Guid.NewGuid().ToString("N"));

    public string Path(string name) => System.IO.Path.Combine(DirectoryPath, name);

    /// <summary>An IDX file: magic, then each header integer, then the payload, gzip'd.</summary>
    public string Write(string name, int magic, int[] header, byte[] payload)
    {
        var raw = new byte[4 + 4 * header.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(raw, magic);
        for (int i = 0; i < header.Length; i++) BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4 + 4 * i), header[i]);
        payload.CopyTo(raw, 4 + 4 * header.Length);
        return WriteGzip(name, raw);
    }

    public string WriteGzip(string name, byte[] raw)
    {
        string path = Path(name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(raw);
        return path;
    }

    public string Images(string name, int count, int payloadImages, int rows = 28, int columns = 28, int magic = 0x803) =>
        Write(name, magic, [count, rows, columns], Pixels(payloadImages * rows * columns));

    public string Labels(string name, byte[] labels, int? count = null, int magic = 0x801) =>
        Write(name, magic, [count ?? labels.Length], labels);

    public static byte[] Pixels(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(DirectoryPath, recursive: true); }
        catch (IOException) { }
    }
}
