namespace Cema.Torch;

/// <summary>An error reported by LibTorch (shape mismatch, bad dtype, …). The message is LibTorch's own text.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }
}
