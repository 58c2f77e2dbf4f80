namespace Cema.Torch.Serialization;

/// <summary>
/// A safetensors file that breaks the format. <see cref="TensorName"/> and <see cref="Field"/> say
/// where, when the fault lies in one tensor's entry or one header field, so callers and tests need
/// not parse the message. It is an <see cref="IOException"/> (<see cref="InvalidDataException"/> is
/// sealed) so that a handler for unreadable checkpoint files also catches corrupt ones.
/// </summary>
public sealed class SafetensorsException : IOException
{
    public SafetensorsException(string message, string? tensorName = null, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        TensorName = tensorName;
        Field = field;
    }

    /// <summary>The tensor whose header entry is at fault, or null when the fault is not one tensor's.</summary>
    public string? TensorName { get; }

    /// <summary>The header field at fault ("dtype", "shape", "data_offsets", "__metadata__", "header"), or null.</summary>
    public string? Field { get; }
}
