using Cema.Torch.Native;

namespace Cema.Torch;

// Autograd: gradient flags, backward and gradients.
public sealed partial class Tensor
{
    public bool requires_grad
    {
        get
        {
            Status.Check(LibTorch.cema_requires_grad(Handle, out int v));
            return v != 0;
        }
        set => Status.Check(LibTorch.cema_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool value = true)
    {
        requires_grad = value;
        return this;
    }

    public bool is_leaf
    {
        get
        {
            Status.Check(LibTorch.cema_is_leaf(Handle, out int v));
            return v != 0;
        }
    }

    /// <summary>True when this tensor was produced by a recorded autograd operation (PyTorch: <c>grad_fn is not None</c>).</summary>
    public bool has_grad_fn
    {
        get
        {
            Status.Check(LibTorch.cema_has_grad_fn(Handle, out int v));
            return v != 0;
        }
    }

    public void backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false) =>
        Status.Check(LibTorch.cema_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retainGraph ? 1 : 0, createGraph ? 1 : 0));

    /// <summary>The accumulated gradient, or null when none was computed. Each read returns a new handle to the same storage.</summary>
    public Tensor? grad
    {
        get
        {
            Status.Check(LibTorch.cema_grad(Handle, out var g));
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
        set => Status.Check(LibTorch.cema_set_grad(Handle, value?.Handle ?? IntPtr.Zero));
    }
}
