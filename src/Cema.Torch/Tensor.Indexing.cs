using Cema.Torch.Native;

namespace Cema.Torch;

// tensor[...] with PyTorch's semantics: integers and slices give views, index tensors gather.
public sealed partial class Tensor
{
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set => IndexPut(indices, value);
    }

    public Tensor this[long index]
    {
        get => select(0, index);
        set => IndexPut(new TensorIndex[] { index }, value);
    }

    private unsafe Tensor Index(TensorIndex[] indices)
    {
        var (basic, advanced) = ApplyBasic(indices);
        if (advanced is null) return basic;
        using (basic) return Gather(basic, advanced);
    }

    private static unsafe Tensor Gather(Tensor source, Tensor?[] advanced)
    {
        var handles = new IntPtr[advanced.Length];
        for (int i = 0; i < advanced.Length; i++) handles[i] = advanced[i]?.Handle ?? IntPtr.Zero;
        fixed (IntPtr* p = handles) return Status.Wrap(LibTorch.cema_index(source.Handle, p, handles.Length, out var r), r);
    }

    private unsafe void IndexPut(TensorIndex[] indices, Tensor values)
    {
        // As PyTorch's __setitem__: leading size-1 dims of the value are dropped, so x[1, 2] = tensor([5]) works.
        var valueShape = values.shape;
        int lead = 0;
        while (lead < valueShape.Length && valueShape[lead] == 1) lead++;
        using var squeezed = lead > 0 ? values.view(valueShape[lead..]) : null;
        values = squeezed ?? values;

        var (basic, advanced) = ApplyBasic(indices);
        using (basic)
        {
            if (advanced is null)
            {
                basic.copy_(values);
                return;
            }
            var handles = new IntPtr[advanced.Length];
            for (int i = 0; i < advanced.Length; i++) handles[i] = advanced[i]?.Handle ?? IntPtr.Zero;
            fixed (IntPtr* p = handles) Status.Check(LibTorch.cema_index_put_(basic.Handle, p, handles.Length, values.Handle, 0));
        }
    }

    /// <summary>
    /// Applies integers, slices, None and Ellipsis as views. Index tensors are left for one
    /// advanced-indexing call: the returned list has an entry per remaining dim of the view up to
    /// the last index tensor (null = whole dim; a boolean mask stands for as many dims as it has),
    /// or is null when there is none.
    /// </summary>
    private (Tensor view, Tensor?[]? advanced) ApplyBasic(TensorIndex[] indices)
    {
        long ndim = dim();
        long consumed = 0;
        foreach (var ix in indices)
        {
            consumed += ix.Type switch
            {
                TensorIndex.Kind.None or TensorIndex.Kind.Ellipsis => 0,
                TensorIndex.Kind.Tensor when ix.IndexTensor!.dtype == ScalarType.Bool => ix.IndexTensor.dim(),
                _ => 1,
            };
        }
        if (consumed > ndim) throw new ArgumentException($"too many indices ({consumed}) for a {ndim}-d tensor");

        Tensor view = alias();
        var entries = new List<Tensor?>();
        bool anyTensor = false;
        long d = 0;
        try
        {
            foreach (var ix in indices)
            {
                switch (ix.Type)
                {
                    case TensorIndex.Kind.Single:
                        Replace(ref view, view.select(d, ix.Index));
                        break;
                    case TensorIndex.Kind.Slice:
                        Replace(ref view, view.slice(d, ix.Start ?? 0, ix.Stop ?? long.MaxValue, ix.Step));
                        entries.Add(null);
                        d++;
                        break;
                    case TensorIndex.Kind.None:
                        Replace(ref view, view.unsqueeze(d));
                        entries.Add(null);
                        d++;
                        break;
                    case TensorIndex.Kind.Ellipsis:
                        for (long k = 0; k < ndim - consumed; k++) entries.Add(null);
                        d += ndim - consumed;
                        break;
                    case TensorIndex.Kind.Tensor:
                        var t = ix.IndexTensor!;
                        entries.Add(t);
                        anyTensor = true;
                        d += t.dtype == ScalarType.Bool ? t.dim() : 1;
                        break;
                }
            }
        }
        catch
        {
            view.Dispose();
            throw;
        }
        if (!anyTensor) return (view, null);
        while (entries[^1] is null) entries.RemoveAt(entries.Count - 1);
        return (view, entries.ToArray());
    }

    private static void Replace(ref Tensor view, Tensor next)
    {
        view.Dispose();
        view = next;
    }

    /// <summary>A new handle to this same tensor (same storage, same autograd identity).</summary>
    internal Tensor alias() => Status.Wrap(LibTorch.cema_alias(Handle, out var r), r);
}
