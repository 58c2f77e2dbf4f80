namespace Cema.Torch.Serialization;

/// <summary>
/// The tensors and metadata read from a safetensors file. The tensors are in the order of their
/// bytes in the file, which for files from Python's writer (and ours) is also the header's order.
/// The caller owns the tensors: <see cref="Dispose"/> releases every tensor still in <see cref="Tensors"/>,
/// so remove one from the dictionary to keep it beyond the file.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    internal SafetensorsFile(OrderedDictionary<string, Tensor> tensors, OrderedDictionary<string, string>? metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    public OrderedDictionary<string, Tensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map in header order, or null when the file has none.</summary>
    public OrderedDictionary<string, string>? Metadata { get; }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
