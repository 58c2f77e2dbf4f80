using Cema.Torch.Native;

namespace Cema.Torch;

/// <summary>A seeded random-number generator of its own, independent of <see cref="torch.manual_seed"/>.</summary>
public sealed class Generator : IDisposable
{
    private IntPtr handle;

    public Generator(ulong seed)
    {
        Status.Check(LibTorch.cema_generator_new(seed, out handle));
        Seed = seed;
    }

    ~Generator() => Release();

    public ulong Seed { get; }

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Generator));

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        IntPtr h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) LibTorch.cema_generator_free(h);
    }
}
