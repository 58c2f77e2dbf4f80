using Cema.Torch.Native;

namespace Cema.Torch;

// Views, reshaping, type conversion and copies.
public sealed partial class Tensor
{
    public unsafe Tensor reshape(params long[] sizes)
    {
        fixed (long* p = sizes) return Status.Wrap(LibTorch.cema_reshape(Handle, p, sizes.Length, out var r), r);
    }

    public unsafe Tensor view(params long[] sizes)
    {
        fixed (long* p = sizes) return Status.Wrap(LibTorch.cema_view(Handle, p, sizes.Length, out var r), r);
    }

    public Tensor flatten(long startDim = 0, long endDim = -1) => Status.Wrap(LibTorch.cema_flatten(Handle, startDim, endDim, out var r), r);

    public unsafe Tensor permute(params long[] dims)
    {
        fixed (long* p = dims) return Status.Wrap(LibTorch.cema_permute(Handle, p, dims.Length, out var r), r);
    }

    public Tensor transpose(long dim0, long dim1) => Status.Wrap(LibTorch.cema_transpose(Handle, dim0, dim1, out var r), r);

    public Tensor t() => transpose(0, 1);

    public Tensor squeeze() => Status.Wrap(LibTorch.cema_squeeze(Handle, 0, 1, out var r), r);

    public Tensor squeeze(long dim) => Status.Wrap(LibTorch.cema_squeeze(Handle, dim, 0, out var r), r);

    public Tensor unsqueeze(long dim) => Status.Wrap(LibTorch.cema_unsqueeze(Handle, dim, out var r), r);

    public unsafe Tensor expand(params long[] sizes)
    {
        fixed (long* p = sizes) return Status.Wrap(LibTorch.cema_expand(Handle, p, sizes.Length, out var r), r);
    }

    public Tensor contiguous() => Status.Wrap(LibTorch.cema_contiguous(Handle, out var r), r);

    public Tensor to(ScalarType type) => Status.Wrap(LibTorch.cema_to_dtype(Handle, (int)type, out var r), r);

    public Tensor to_type(ScalarType type) => to(type);

    public Tensor @float() => to(ScalarType.Float32);

    public Tensor @double() => to(ScalarType.Float64);

    public Tensor @long() => to(ScalarType.Int64);

    public Tensor @bool() => to(ScalarType.Bool);

    public Tensor clone() => Status.Wrap(LibTorch.cema_clone(Handle, out var r), r);

    /// <summary>A new tensor sharing storage with this one but outside the autograd graph.</summary>
    public Tensor detach() => Status.Wrap(LibTorch.cema_detach(Handle, out var r), r);

    public Tensor detach_()
    {
        Status.Check(LibTorch.cema_detach_(Handle));
        return this;
    }

    public Tensor slice(long dim, long start, long end, long step = 1) => Status.Wrap(LibTorch.cema_slice(Handle, dim, start, end, step, out var r), r);

    public Tensor select(long dim, long index) => Status.Wrap(LibTorch.cema_select(Handle, dim, index, out var r), r);

    /// <summary>length elements from start (negative: from the end) along dim; a view. Running past the end is an error.</summary>
    public Tensor narrow(long dim, long start, long length) => Status.Wrap(LibTorch.cema_narrow(Handle, dim, start, length, out var r), r);

    public Tensor index_select(long dim, Tensor index) => Status.Wrap(LibTorch.cema_index_select(Handle, dim, index.Handle, out var r), r);

    public Tensor masked_fill(Tensor mask, Scalar value) => Status.Wrap(LibTorch.cema_masked_fill(Handle, mask.Handle, value.Value, out var r), r);

    public Tensor one_hot(long numClasses) => Status.Wrap(LibTorch.cema_one_hot(Handle, numClasses, out var r), r);
}
