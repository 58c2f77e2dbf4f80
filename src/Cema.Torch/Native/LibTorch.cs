using System.Runtime.InteropServices;

namespace Cema.Torch.Native;

/// <summary>
/// The C ABI of <c>native/include/cema_torch.h</c>. Every function returns 0 on success; on failure
/// LibTorch's message is read with <see cref="cema_last_error"/> (see <see cref="Status.Check"/>).
/// </summary>
internal static unsafe partial class LibTorch
{
    internal const string Lib = "cema_torch";

    [StructLayout(LayoutKind.Sequential)]
    internal struct NativeScalar
    {
        public double D;
        public long I;
        public int Kind;
    }

    [DllImport(Lib)] internal static extern IntPtr cema_last_error();
    [DllImport(Lib)] internal static extern IntPtr cema_torch_version();
    [DllImport(Lib)] internal static extern int cema_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int cema_get_num_threads(out int n);
    [DllImport(Lib)] internal static extern int cema_manual_seed(long seed);
    [DllImport(Lib)] internal static extern long cema_live_tensors();

    [DllImport(Lib)] internal static extern int cema_generator_new(ulong seed, out IntPtr gen);
    [DllImport(Lib)] internal static extern void cema_generator_free(IntPtr gen);

    [DllImport(Lib)] internal static extern void cema_tensor_free(IntPtr t);
    [DllImport(Lib)] internal static extern int cema_alias(IntPtr t, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_tensor_dtype(IntPtr t, out int dtype);
    [DllImport(Lib)] internal static extern int cema_tensor_dim(IntPtr t, out long dim);
    [DllImport(Lib)] internal static extern int cema_tensor_sizes(IntPtr t, long* sizes, long cap);
    [DllImport(Lib)] internal static extern int cema_tensor_numel(IntPtr t, out long numel);
    [DllImport(Lib)] internal static extern int cema_tensor_to_string(IntPtr t, byte* buf, long cap, out long needed);
    [DllImport(Lib)] internal static extern int cema_tensor_item(IntPtr t, out NativeScalar value);
    [DllImport(Lib)] internal static extern int cema_tensor_same_storage(IntPtr a, IntPtr b, out int same);

    [DllImport(Lib)] internal static extern int cema_fill_new(int kind, long* sizes, long ndim, int dtype, int requiresGrad, out IntPtr t);
    [DllImport(Lib)] internal static extern int cema_full(long* sizes, long ndim, NativeScalar value, int dtype, int requiresGrad, out IntPtr t);
    [DllImport(Lib)] internal static extern int cema_arange(NativeScalar start, NativeScalar end, NativeScalar step, int dtype, out IntPtr t);
    [DllImport(Lib)] internal static extern int cema_random(int kind, long* sizes, long ndim, int dtype, IntPtr gen, int requiresGrad, out IntPtr t);
    [DllImport(Lib)] internal static extern int cema_randint(long low, long high, long* sizes, long ndim, IntPtr gen, out IntPtr t);
    [DllImport(Lib)] internal static extern int cema_randperm(long n, IntPtr gen, out IntPtr t);
    [DllImport(Lib)] internal static extern int cema_from_buffer(void* data, long nbytes, long* sizes, long ndim, int dtype, out IntPtr t);
    [DllImport(Lib)] internal static extern int cema_copy_to_buffer(IntPtr t, void* buf, long nbytes);

    [DllImport(Lib)] internal static extern int cema_reshape(IntPtr t, long* sizes, long ndim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_view(IntPtr t, long* sizes, long ndim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_flatten(IntPtr t, long start, long end, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_permute(IntPtr t, long* dims, long ndim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_transpose(IntPtr t, long d0, long d1, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_squeeze(IntPtr t, long dim, int all, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_unsqueeze(IntPtr t, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_expand(IntPtr t, long* sizes, long ndim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_contiguous(IntPtr t, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_cat(IntPtr* ts, long n, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_stack(IntPtr* ts, long n, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_slice(IntPtr t, long dim, long start, long end, long step, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_select(IntPtr t, long dim, long index, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_narrow(IntPtr t, long dim, long start, long length, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_index_select(IntPtr t, long dim, IntPtr index, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_index(IntPtr t, IntPtr* indices, long n, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_index_put_(IntPtr t, IntPtr* indices, long n, IntPtr values, int accumulate);
    [DllImport(Lib)] internal static extern int cema_masked_fill(IntPtr t, IntPtr mask, NativeScalar value, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_where(IntPtr cond, IntPtr a, IntPtr b, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_to_dtype(IntPtr t, int dtype, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_one_hot(IntPtr t, long numClasses, out IntPtr r);

    [DllImport(Lib)] internal static extern int cema_unary(int op, IntPtr a, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_unary_(int op, IntPtr a);
    [DllImport(Lib)] internal static extern int cema_binary(int op, IntPtr a, IntPtr b, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_binary_scalar(int op, IntPtr a, NativeScalar b, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_scalar_binary(int op, NativeScalar a, IntPtr b, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_binary_(int op, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern int cema_binary_scalar_(int op, IntPtr a, NativeScalar b);
    [DllImport(Lib)] internal static extern int cema_add_scaled_(IntPtr a, IntPtr b, NativeScalar alpha);
    [DllImport(Lib)] internal static extern int cema_addcmul_(IntPtr a, IntPtr b, IntPtr c, NativeScalar value);
    [DllImport(Lib)] internal static extern int cema_addcdiv_(IntPtr a, IntPtr b, IntPtr c, NativeScalar value);
    [DllImport(Lib)] internal static extern int cema_lerp_(IntPtr a, IntPtr end, NativeScalar weight);
    [DllImport(Lib)] internal static extern int cema_clamp(IntPtr a, NativeScalar lo, int hasLo, NativeScalar hi, int hasHi, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_copy_(IntPtr dst, IntPtr src);
    [DllImport(Lib)] internal static extern int cema_fill_(IntPtr t, NativeScalar value);
    [DllImport(Lib)] internal static extern int cema_zero_(IntPtr t);
    [DllImport(Lib)] internal static extern int cema_matmul(IntPtr a, IntPtr b, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_equal(IntPtr a, IntPtr b, out int equal);
    [DllImport(Lib)] internal static extern int cema_allclose(IntPtr a, IntPtr b, double rtol, double atol, out int close);

    [DllImport(Lib)] internal static extern int cema_reduce(int op, IntPtr t, long* dims, long ndims, int keepdim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_max_min_dim(int isMax, IntPtr t, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern int cema_argmax_argmin(int isMax, IntPtr t, long dim, int hasDim, int keepdim, out IntPtr r);

    [DllImport(Lib)] internal static extern int cema_requires_grad(IntPtr t, out int value);
    [DllImport(Lib)] internal static extern int cema_set_requires_grad(IntPtr t, int value);
    [DllImport(Lib)] internal static extern int cema_is_leaf(IntPtr t, out int value);
    [DllImport(Lib)] internal static extern int cema_has_grad_fn(IntPtr t, out int value);
    [DllImport(Lib)] internal static extern int cema_backward(IntPtr t, IntPtr grad, int retainGraph, int createGraph);
    [DllImport(Lib)] internal static extern int cema_grad(IntPtr t, out IntPtr grad);
    [DllImport(Lib)] internal static extern int cema_set_grad(IntPtr t, IntPtr grad);
    [DllImport(Lib)] internal static extern int cema_detach(IntPtr t, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_detach_(IntPtr t);
    [DllImport(Lib)] internal static extern int cema_clone(IntPtr t, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_set_grad_enabled(int enabled, out int previous);
    [DllImport(Lib)] internal static extern int cema_is_grad_enabled(out int enabled);

    [DllImport(Lib)] internal static extern int cema_conv2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, long groups, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_batch_norm(IntPtr x, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_batch_norm_update_stats(IntPtr x, IntPtr runningMean, IntPtr runningVar, double momentum);
    [DllImport(Lib)] internal static extern int cema_linear(IntPtr x, IntPtr w, IntPtr b, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_gelu(IntPtr x, int tanhApprox, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_dropout(IntPtr x, double p, int training, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_max_pool2d(IntPtr x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_avg_pool2d(IntPtr x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_adaptive_avg_pool2d(IntPtr x, long* outputSize, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_softmax(IntPtr x, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_log_softmax(IntPtr x, long dim, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_cross_entropy(IntPtr x, IntPtr target, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_nll_loss(IntPtr x, IntPtr target, IntPtr weight, long reduction, long ignoreIndex, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_kl_div(IntPtr input, IntPtr target, long reduction, int logTarget, out IntPtr r);
    [DllImport(Lib)] internal static extern int cema_mse_loss(IntPtr a, IntPtr b, long reduction, out IntPtr r);
}
