using System.Runtime.InteropServices;
using Cema.Torch.Native;

namespace Cema.Torch;

/// <summary>The <c>torch</c> namespace of PyTorch: creation, joining, seeds, threads, grad mode.</summary>
public static partial class torch
{
    /// <summary>The LibTorch version the native shim was built against, e.g. "1.13.0".</summary>
    public static string version => Marshal.PtrToStringUTF8(LibTorch.cema_torch_version()) ?? "unknown";

    /// <summary>Native tensor handles currently alive (created and not yet disposed or finalized).</summary>
    public static long live_tensors => LibTorch.cema_live_tensors();

    public static void manual_seed(long seed) => Status.Check(LibTorch.cema_manual_seed(seed));

    public static void set_num_threads(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "the thread count must be at least 1");
        Status.Check(LibTorch.cema_set_num_threads(n));
    }

    public static int get_num_threads()
    {
        Status.Check(LibTorch.cema_get_num_threads(out int n));
        return n;
    }

    public static DisposeScope NewDisposeScope() => new();

    // ---- grad mode ---------------------------------------------------------------------------

    /// <summary>Disables gradient recording on this thread until disposed (PyTorch's <c>with torch.no_grad()</c>).</summary>
    public static GradModeScope no_grad() => new(false);

    public static GradModeScope enable_grad() => new(true);

    public static bool is_grad_enabled()
    {
        Status.Check(LibTorch.cema_is_grad_enabled(out int v));
        return v != 0;
    }

    public sealed class GradModeScope : IDisposable
    {
        private readonly int previous;
        private bool disposed;

        internal GradModeScope(bool enabled) => Status.Check(LibTorch.cema_set_grad_enabled(enabled ? 1 : 0, out previous));

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Status.Check(LibTorch.cema_set_grad_enabled(previous, out _));
        }
    }

    // ---- creation ----------------------------------------------------------------------------

    private static unsafe Tensor Fill(int kind, long[] size, ScalarType dtype, bool requiresGrad)
    {
        fixed (long* p = size) return Status.Wrap(LibTorch.cema_fill_new(kind, p, size.Length, (int)dtype, requiresGrad ? 1 : 0, out var r), r);
    }

    public static Tensor zeros(long[] size, ScalarType dtype = ScalarType.Float32, bool requires_grad = false) => Fill(0, size, dtype, requires_grad);
    public static Tensor zeros(params long[] size) => Fill(0, size, ScalarType.Float32, false);
    public static Tensor ones(long[] size, ScalarType dtype = ScalarType.Float32, bool requires_grad = false) => Fill(1, size, dtype, requires_grad);
    public static Tensor ones(params long[] size) => Fill(1, size, ScalarType.Float32, false);
    public static Tensor empty(long[] size, ScalarType dtype = ScalarType.Float32, bool requires_grad = false) => Fill(2, size, dtype, requires_grad);
    public static Tensor empty(params long[] size) => Fill(2, size, ScalarType.Float32, false);

    public static unsafe Tensor full(long[] size, Scalar value, ScalarType dtype = ScalarType.Float32, bool requires_grad = false)
    {
        fixed (long* p = size) return Status.Wrap(LibTorch.cema_full(p, size.Length, value.Value, (int)dtype, requires_grad ? 1 : 0, out var r), r);
    }

    public static Tensor zeros_like(Tensor t) => zeros(t.shape, t.dtype);
    public static Tensor ones_like(Tensor t) => ones(t.shape, t.dtype);
    public static Tensor full_like(Tensor t, Scalar value) => full(t.shape, value, t.dtype);

    public static Tensor arange(Scalar start, Scalar end, Scalar step, ScalarType dtype) =>
        Status.Wrap(LibTorch.cema_arange(start.Value, end.Value, step.Value, (int)dtype, out var r), r);

    public static Tensor arange(long end, ScalarType dtype = ScalarType.Int64) => arange(0, end, 1, dtype);
    public static Tensor arange(long start, long end, long step = 1, ScalarType dtype = ScalarType.Int64) => arange((Scalar)start, end, step, dtype);
    public static Tensor arange(double start, double end, double step, ScalarType dtype = ScalarType.Float32) => arange((Scalar)start, end, step, dtype);

    private static unsafe Tensor Random(int kind, long[] size, ScalarType dtype, Generator? generator, bool requiresGrad)
    {
        fixed (long* p = size) return Status.Wrap(LibTorch.cema_random(kind, p, size.Length, (int)dtype, generator?.Handle ?? IntPtr.Zero, requiresGrad ? 1 : 0, out var r), r);
    }

    /// <summary>Standard normal samples, from <paramref name="generator"/> or the global generator (<see cref="manual_seed"/>).</summary>
    public static Tensor randn(long[] size, ScalarType dtype = ScalarType.Float32, Generator? generator = null, bool requires_grad = false) => Random(0, size, dtype, generator, requires_grad);
    public static Tensor randn(params long[] size) => Random(0, size, ScalarType.Float32, null, false);

    /// <summary>Uniform samples on [0, 1).</summary>
    public static Tensor rand(long[] size, ScalarType dtype = ScalarType.Float32, Generator? generator = null, bool requires_grad = false) => Random(1, size, dtype, generator, requires_grad);
    public static Tensor rand(params long[] size) => Random(1, size, ScalarType.Float32, null, false);

    /// <summary>Integers uniform on [low, high), int64.</summary>
    public static unsafe Tensor randint(long low, long high, long[] size, Generator? generator = null)
    {
        fixed (long* p = size) return Status.Wrap(LibTorch.cema_randint(low, high, p, size.Length, generator?.Handle ?? IntPtr.Zero, out var r), r);
    }

    /// <summary>A random permutation of 0..n-1, int64.</summary>
    public static Tensor randperm(long n, Generator? generator = null) => Status.Wrap(LibTorch.cema_randperm(n, generator?.Handle ?? IntPtr.Zero, out var r), r);

    /// <summary>A new tensor holding a copy of <paramref name="data"/> with the given shape (default: 1-d).</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        if (shape.Length == 0) shape = new long[] { data.Length };
        var dtype = ScalarTypeInfo.Of<T>();
        fixed (T* d = data)
        fixed (long* s = shape)
            return Status.Wrap(LibTorch.cema_from_buffer(d, (long)data.Length * sizeof(T), s, shape.Length, (int)dtype, out var r), r);
    }

    public static Tensor tensor<T>(T[] data, params long[] shape) where T : unmanaged => tensor((ReadOnlySpan<T>)data, shape);

    /// <summary>A 0-dim tensor.</summary>
    public static Tensor scalar_tensor(Scalar value, ScalarType dtype = ScalarType.Float32) => full(Array.Empty<long>(), value, dtype);

    public static Tensor from_array(float[,] data) => tensor(Flatten(data), data.GetLength(0), data.GetLength(1));
    public static Tensor from_array(double[,] data) => tensor(Flatten(data), data.GetLength(0), data.GetLength(1));
    public static Tensor from_array(long[,] data) => tensor(Flatten(data), data.GetLength(0), data.GetLength(1));

    private static T[] Flatten<T>(T[,] data)
    {
        var flat = new T[data.Length];
        int k = 0;
        foreach (var v in data) flat[k++] = v;
        return flat;
    }

    // ---- joining and selecting ---------------------------------------------------------------

    private static unsafe Tensor Join(bool stack, IReadOnlyList<Tensor> tensors, long dim)
    {
        var handles = new IntPtr[tensors.Count];
        for (int i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        fixed (IntPtr* p = handles)
            return Status.Wrap(stack ? LibTorch.cema_stack(p, handles.Length, dim, out var r1) : LibTorch.cema_cat(p, handles.Length, dim, out r1), r1);
    }

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(false, tensors, dim);
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(true, tensors, dim);

    public static Tensor where(Tensor condition, Tensor x, Tensor y) => Status.Wrap(LibTorch.cema_where(condition.Handle, x.Handle, y.Handle, out var r), r);
}
