using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cema.Torch.Native;

/// <summary>
/// Finds <c>libcema_torch.so</c> next to this assembly and, when it or LibTorch cannot be loaded,
/// fails with a message that says what to install instead of a bare DllNotFoundException.
/// </summary>
internal static class NativeLibraryLoader
{
    // A library needs its resolver in place before the first P/Invoke of any caller, which is
    // exactly the "advanced scenario" CA2255 allows.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibTorch.Lib) return IntPtr.Zero;
        string local = Path.Combine(AppContext.BaseDirectory, "libcema_torch.so");
        string path = File.Exists(local) ? local : "libcema_torch.so";
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            bool libtorchMissing = !File.Exists("/usr/lib/x86_64-linux-gnu/libtorch.so.1.13") && !File.Exists("/usr/lib/aarch64-linux-gnu/libtorch.so.1.13");
            string hint = libtorchMissing
                ? "LibTorch 1.13 is not installed: apt-get install libtorch-dev (or run ./cema, which installs it)."
                : $"the native shim {local} is missing or broken: rebuild with ./cema version (it runs CMake on src/Cema.Torch/native).";
            throw new DllNotFoundException($"Cannot load the Cema.Torch native library: {hint} Loader said: {e.Message}", e);
        }
    }
}
