namespace Cema.Torch;

/// <summary>
/// Disposes, when it is disposed, every tensor created on this thread while it was the innermost
/// scope, except tensors moved out of it (<see cref="Tensor.MoveToOuterScope"/>) or detached from it
/// (<see cref="Tensor.DetachFromDisposeScope"/>). Create one with <see cref="torch.NewDisposeScope"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly List<Tensor> owned = new();
    private bool disposed;

    internal DisposeScope? Outer { get; }

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    internal static DisposeScope? Current => current;

    /// <summary>The nearest enclosing scope that is not disposed yet.</summary>
    internal DisposeScope? LiveOuter
    {
        get
        {
            var o = Outer;
            while (o is { disposed: true }) o = o.Outer;
            return o;
        }
    }

    /// <summary>Number of tensors the scope would dispose now.</summary>
    public int Count
    {
        get
        {
            int n = 0;
            foreach (var t in owned) if (t.Scope == this && !t.IsDisposed) n++;
            return n;
        }
    }

    internal void Add(Tensor t) => owned.Add(t);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        // Scopes are strictly nested per thread; when one is disposed out of order its outer scope may
        // already be gone, and the thread must not go on adding tensors to a disposed scope.
        if (current == this) current = LiveOuter;
        foreach (var t in owned)
        {
            if (t.Scope == this) t.Dispose();
        }
        owned.Clear();
    }
}
