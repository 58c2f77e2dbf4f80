using System.Runtime.InteropServices;
using System.Text;
using Cema.Torch.Native;

namespace Cema.Torch;

/// <summary>
/// A LibTorch tensor. It owns one native handle, released by <see cref="Dispose"/>, by the
/// enclosing <see cref="DisposeScope"/>, or — as a fallback only — by the finalizer.
/// Ownership rules: src/Cema.Torch/README.md.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private IntPtr handle;

    internal Tensor(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw new ArgumentException("null native tensor handle", nameof(handle));
        this.handle = handle;
        Scope = DisposeScope.Current;
        Scope?.Add(this);
    }

    ~Tensor() => Release();

    internal DisposeScope? Scope { get; private set; }

    public bool IsDisposed => handle == IntPtr.Zero;

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed");

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        IntPtr h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) LibTorch.cema_tensor_free(h);
        Scope = null;
    }

    /// <summary>Moves this tensor from its scope to the scope outside it (or to none), so it survives the inner scope.</summary>
    public Tensor MoveToOuterScope()
    {
        var outer = Scope?.LiveOuter;
        Scope = outer;
        outer?.Add(this);
        return this;
    }

    /// <summary>Takes this tensor out of every dispose scope: the caller now disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope = null;
        return this;
    }

    // ---- metadata -----------------------------------------------------------------------------

    public ScalarType dtype
    {
        get
        {
            Status.Check(LibTorch.cema_tensor_dtype(Handle, out int d));
            return (ScalarType)d;
        }
    }

    public long dim()
    {
        Status.Check(LibTorch.cema_tensor_dim(Handle, out long d));
        return d;
    }

    public unsafe long[] shape
    {
        get
        {
            long n = dim();
            var sizes = new long[n];
            fixed (long* p = sizes) Status.Check(LibTorch.cema_tensor_sizes(Handle, p, n));
            return sizes;
        }
    }

    public long size(long dimension)
    {
        var s = shape;
        long d = dimension < 0 ? dimension + s.Length : dimension;
        if (d < 0 || d >= s.Length) throw new ArgumentOutOfRangeException(nameof(dimension), $"dimension {dimension} is out of range for a {s.Length}-d tensor");
        return s[d];
    }

    public long numel()
    {
        Status.Check(LibTorch.cema_tensor_numel(Handle, out long n));
        return n;
    }

    public bool is_floating_point() => dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;

    /// <summary>True when both tensors view the same storage (e.g. a view and its base).</summary>
    public bool is_alias_of(Tensor other)
    {
        Status.Check(LibTorch.cema_tensor_same_storage(Handle, other.Handle, out int same));
        return same != 0;
    }

    public override unsafe string ToString()
    {
        if (IsDisposed) return "Tensor(disposed)";
        Status.Check(LibTorch.cema_tensor_to_string(Handle, null, 0, out long needed));
        var buf = new byte[needed];
        fixed (byte* p = buf) Status.Check(LibTorch.cema_tensor_to_string(Handle, p, needed, out _));
        return Encoding.UTF8.GetString(buf, 0, (int)Math.Max(0, needed - 1));
    }

    // ---- element access -----------------------------------------------------------------------

    /// <summary>The value of a one-element tensor.</summary>
    public Scalar item()
    {
        Status.Check(LibTorch.cema_tensor_item(Handle, out var s));
        return Scalar.FromNative(s);
    }

    public T item<T>() where T : unmanaged
    {
        var s = item();
        if (typeof(T) == typeof(float)) return (T)(object)(float)s.ToDouble();
        if (typeof(T) == typeof(double)) return (T)(object)s.ToDouble();
        if (typeof(T) == typeof(long)) return (T)(object)s.ToInt64();
        if (typeof(T) == typeof(int)) return (T)(object)checked((int)s.ToInt64());
        if (typeof(T) == typeof(bool)) return (T)(object)s.ToBoolean();
        if (typeof(T) == typeof(byte)) return (T)(object)checked((byte)s.ToInt64());
        throw new NotSupportedException($"item<{typeof(T).Name}> is not supported");
    }

    /// <summary>Copies the elements, in row-major order, into <paramref name="destination"/> (its length must equal numel()).</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var expected = ScalarTypeInfo.Of<T>();
        var actual = dtype;
        if (expected != actual) throw new ArgumentException($"tensor dtype is {actual}, the destination holds {typeof(T).Name}", nameof(destination));
        fixed (T* p = destination) Status.Check(LibTorch.cema_copy_to_buffer(Handle, p, (long)destination.Length * sizeof(T)));
    }

    public T[] ToArray<T>() where T : unmanaged
    {
        var a = new T[numel()];
        CopyTo<T>(a);
        return a;
    }

    /// <summary>Overwrites the elements from <paramref name="source"/> (same dtype, numel() elements).</summary>
    public unsafe Tensor CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        using var src = torch.tensor(source, shape);
        return copy_(src);
    }
}
