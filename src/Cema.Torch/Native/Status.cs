using System.Runtime.InteropServices;

namespace Cema.Torch.Native;

internal static class Status
{
    /// <summary>Turns a non-zero native status into a <see cref="TorchException"/> carrying LibTorch's message.</summary>
    internal static void Check(int status)
    {
        if (status != 0) throw new TorchException(Marshal.PtrToStringUTF8(LibTorch.cema_last_error()) ?? "unknown LibTorch error");
    }

    internal static Tensor Wrap(int status, IntPtr handle)
    {
        Check(status);
        return new Tensor(handle);
    }
}
