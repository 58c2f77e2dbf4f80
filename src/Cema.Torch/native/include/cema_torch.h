// C ABI of the Cema.Torch shim over LibTorch.
//
// Rules every function follows:
//  * returns 0 on success, non-zero on failure; no C++ exception ever crosses this boundary;
//  * on failure the message (LibTorch's own text) is kept in thread-local storage and read with
//    cema_last_error() on the same thread;
//  * tensors are opaque handles (heap-allocated at::Tensor); a handle returned through an out
//    parameter is owned by the caller and released with cema_tensor_free();
//  * an optional tensor argument is passed as NULL.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CEMA_API __attribute__((visibility("default")))

typedef void* cema_tensor;
typedef void* cema_generator;

// A scalar that keeps its kind, so that `int_tensor + 2` stays integral as in PyTorch.
typedef struct {
  double d;
  int64_t i;
  int32_t kind;  // 0 = floating (d), 1 = integral (i), 2 = boolean (i != 0)
} cema_scalar;

// ---- errors, versions, global state -------------------------------------------------------
CEMA_API const char* cema_last_error(void);
CEMA_API const char* cema_torch_version(void);
CEMA_API int cema_set_num_threads(int32_t n);
CEMA_API int cema_get_num_threads(int32_t* out);
CEMA_API int cema_manual_seed(int64_t seed);
CEMA_API int64_t cema_live_tensors(void);

// ---- generators -----------------------------------------------------------------------------
CEMA_API int cema_generator_new(uint64_t seed, cema_generator* out);
CEMA_API void cema_generator_free(cema_generator g);

// ---- tensor lifecycle and metadata ----------------------------------------------------------
CEMA_API void cema_tensor_free(cema_tensor t);
// A second handle to the same tensor (same storage and autograd identity).
CEMA_API int cema_alias(cema_tensor t, cema_tensor* out);
CEMA_API int cema_tensor_dtype(cema_tensor t, int32_t* out);
CEMA_API int cema_tensor_dim(cema_tensor t, int64_t* out);
CEMA_API int cema_tensor_sizes(cema_tensor t, int64_t* out, int64_t cap);
CEMA_API int cema_tensor_numel(cema_tensor t, int64_t* out);
CEMA_API int cema_tensor_defined(cema_tensor t, int32_t* out);
CEMA_API int cema_tensor_to_string(cema_tensor t, char* buf, int64_t cap, int64_t* needed);
CEMA_API int cema_tensor_item(cema_tensor t, cema_scalar* out);
CEMA_API int cema_tensor_same_storage(cema_tensor a, cema_tensor b, int32_t* out);

// ---- creation -------------------------------------------------------------------------------
// kind: 0 zeros, 1 ones, 2 empty
CEMA_API int cema_fill_new(int32_t kind, const int64_t* sizes, int64_t ndim, int32_t dtype,
                           int32_t requires_grad, cema_tensor* out);
CEMA_API int cema_full(const int64_t* sizes, int64_t ndim, cema_scalar value, int32_t dtype,
                       int32_t requires_grad, cema_tensor* out);
CEMA_API int cema_arange(cema_scalar start, cema_scalar end, cema_scalar step, int32_t dtype,
                         cema_tensor* out);
// kind: 0 randn, 1 rand; gen may be NULL (global generator)
CEMA_API int cema_random(int32_t kind, const int64_t* sizes, int64_t ndim, int32_t dtype,
                         cema_generator gen, int32_t requires_grad, cema_tensor* out);
CEMA_API int cema_randint(int64_t low, int64_t high, const int64_t* sizes, int64_t ndim,
                          cema_generator gen, cema_tensor* out);
CEMA_API int cema_randperm(int64_t n, cema_generator gen, cema_tensor* out);
// Copies nbytes from data (element type = dtype) into a new tensor.
CEMA_API int cema_from_buffer(const void* data, int64_t nbytes, const int64_t* sizes,
                              int64_t ndim, int32_t dtype, cema_tensor* out);
// Copies the tensor's elements, in row-major order, to buf (must hold exactly numel*itemsize).
CEMA_API int cema_copy_to_buffer(cema_tensor t, void* buf, int64_t nbytes);

// ---- views, shape and indexing --------------------------------------------------------------
CEMA_API int cema_reshape(cema_tensor t, const int64_t* sizes, int64_t ndim, cema_tensor* out);
CEMA_API int cema_view(cema_tensor t, const int64_t* sizes, int64_t ndim, cema_tensor* out);
CEMA_API int cema_flatten(cema_tensor t, int64_t start, int64_t end, cema_tensor* out);
CEMA_API int cema_permute(cema_tensor t, const int64_t* dims, int64_t ndim, cema_tensor* out);
CEMA_API int cema_transpose(cema_tensor t, int64_t d0, int64_t d1, cema_tensor* out);
CEMA_API int cema_squeeze(cema_tensor t, int64_t dim, int32_t all, cema_tensor* out);
CEMA_API int cema_unsqueeze(cema_tensor t, int64_t dim, cema_tensor* out);
CEMA_API int cema_expand(cema_tensor t, const int64_t* sizes, int64_t ndim, cema_tensor* out);
CEMA_API int cema_contiguous(cema_tensor t, cema_tensor* out);
CEMA_API int cema_cat(const cema_tensor* ts, int64_t n, int64_t dim, cema_tensor* out);
CEMA_API int cema_stack(const cema_tensor* ts, int64_t n, int64_t dim, cema_tensor* out);
CEMA_API int cema_slice(cema_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step,
                        cema_tensor* out);
CEMA_API int cema_select(cema_tensor t, int64_t dim, int64_t index, cema_tensor* out);
// A negative start counts from the end; start + length past the end is an error (as at::narrow).
CEMA_API int cema_narrow(cema_tensor t, int64_t dim, int64_t start, int64_t length, cema_tensor* out);
CEMA_API int cema_index_select(cema_tensor t, int64_t dim, cema_tensor index, cema_tensor* out);
// Advanced indexing t[i0, i1, ...]; a NULL entry stands for a full slice ":".
CEMA_API int cema_index(cema_tensor t, const cema_tensor* indices, int64_t n, cema_tensor* out);
CEMA_API int cema_index_put_(cema_tensor t, const cema_tensor* indices, int64_t n,
                             cema_tensor values, int32_t accumulate);
CEMA_API int cema_masked_fill(cema_tensor t, cema_tensor mask, cema_scalar value, cema_tensor* out);
CEMA_API int cema_where(cema_tensor cond, cema_tensor a, cema_tensor b, cema_tensor* out);
CEMA_API int cema_to_dtype(cema_tensor t, int32_t dtype, cema_tensor* out);
CEMA_API int cema_one_hot(cema_tensor t, int64_t num_classes, cema_tensor* out);

// ---- element-wise and linear algebra ---------------------------------------------------------
// Operation codes shared with C# (Cema.Torch/Native/OpCodes.cs).
enum cema_unary_op {
  CEMA_NEG = 0, CEMA_EXP, CEMA_LOG, CEMA_SQRT, CEMA_ABS, CEMA_SIGMOID, CEMA_TANH, CEMA_RELU,
  CEMA_SIGN, CEMA_RSQRT, CEMA_SQUARE, CEMA_LOGICAL_NOT, CEMA_FLOOR, CEMA_CEIL, CEMA_ROUND,
  CEMA_ISNAN, CEMA_COS, CEMA_SIN
};
enum cema_binary_op {
  CEMA_ADD = 0, CEMA_SUB, CEMA_MUL, CEMA_DIV, CEMA_POW, CEMA_EQ, CEMA_NE, CEMA_LT, CEMA_LE,
  CEMA_GT, CEMA_GE, CEMA_MAXIMUM, CEMA_MINIMUM, CEMA_LOGICAL_AND, CEMA_LOGICAL_OR,
  CEMA_REMAINDER, CEMA_FLOOR_DIVIDE
};
CEMA_API int cema_unary(int32_t op, cema_tensor a, cema_tensor* out);
CEMA_API int cema_unary_(int32_t op, cema_tensor a);
CEMA_API int cema_binary(int32_t op, cema_tensor a, cema_tensor b, cema_tensor* out);
CEMA_API int cema_binary_scalar(int32_t op, cema_tensor a, cema_scalar b, cema_tensor* out);
// scalar OP tensor (e.g. 1 - t, 2 / t)
CEMA_API int cema_scalar_binary(int32_t op, cema_scalar a, cema_tensor b, cema_tensor* out);
CEMA_API int cema_binary_(int32_t op, cema_tensor a, cema_tensor b);
CEMA_API int cema_binary_scalar_(int32_t op, cema_tensor a, cema_scalar b);
CEMA_API int cema_add_scaled_(cema_tensor a, cema_tensor b, cema_scalar alpha);  // a += alpha*b
CEMA_API int cema_addcmul_(cema_tensor a, cema_tensor b, cema_tensor c, cema_scalar value);
CEMA_API int cema_addcdiv_(cema_tensor a, cema_tensor b, cema_tensor c, cema_scalar value);
CEMA_API int cema_lerp_(cema_tensor a, cema_tensor end, cema_scalar weight);
CEMA_API int cema_clamp(cema_tensor a, cema_scalar lo, int32_t has_lo, cema_scalar hi,
                        int32_t has_hi, cema_tensor* out);
CEMA_API int cema_copy_(cema_tensor dst, cema_tensor src);
CEMA_API int cema_fill_(cema_tensor t, cema_scalar value);
CEMA_API int cema_zero_(cema_tensor t);
CEMA_API int cema_matmul(cema_tensor a, cema_tensor b, cema_tensor* out);
CEMA_API int cema_equal(cema_tensor a, cema_tensor b, int32_t* out);
CEMA_API int cema_allclose(cema_tensor a, cema_tensor b, double rtol, double atol, int32_t* out);

// ---- reductions ---------------------------------------------------------------------------
enum cema_reduce_op { CEMA_SUM = 0, CEMA_MEAN, CEMA_AMAX, CEMA_AMIN, CEMA_PROD, CEMA_ALL, CEMA_ANY,
                      CEMA_VAR, CEMA_STD };
// dims == NULL with ndims == 0 reduces over all elements.
CEMA_API int cema_reduce(int32_t op, cema_tensor t, const int64_t* dims, int64_t ndims,
                         int32_t keepdim, cema_tensor* out);
// max/min along a dim: values and indices (is_max = 1 for max)
CEMA_API int cema_max_min_dim(int32_t is_max, cema_tensor t, int64_t dim, int32_t keepdim,
                              cema_tensor* values, cema_tensor* indices);
// has_dim = 0: index into the flattened tensor.
CEMA_API int cema_argmax_argmin(int32_t is_max, cema_tensor t, int64_t dim, int32_t has_dim,
                                int32_t keepdim, cema_tensor* out);

// ---- autograd -----------------------------------------------------------------------------
CEMA_API int cema_requires_grad(cema_tensor t, int32_t* out);
CEMA_API int cema_set_requires_grad(cema_tensor t, int32_t value);
CEMA_API int cema_is_leaf(cema_tensor t, int32_t* out);
CEMA_API int cema_has_grad_fn(cema_tensor t, int32_t* out);
CEMA_API int cema_backward(cema_tensor t, cema_tensor grad, int32_t retain_graph,
                           int32_t create_graph);
// *out is NULL when the tensor has no gradient.
CEMA_API int cema_grad(cema_tensor t, cema_tensor* out);
CEMA_API int cema_set_grad(cema_tensor t, cema_tensor grad);
CEMA_API int cema_detach(cema_tensor t, cema_tensor* out);
CEMA_API int cema_detach_(cema_tensor t);
CEMA_API int cema_clone(cema_tensor t, cema_tensor* out);
CEMA_API int cema_set_grad_enabled(int32_t enabled, int32_t* previous);
CEMA_API int cema_is_grad_enabled(int32_t* out);

// ---- neural-network functions -------------------------------------------------------------
CEMA_API int cema_conv2d(cema_tensor x, cema_tensor w, cema_tensor b, const int64_t* stride,
                         const int64_t* padding, const int64_t* dilation, int64_t groups,
                         cema_tensor* out);
CEMA_API int cema_batch_norm(cema_tensor x, cema_tensor weight, cema_tensor bias,
                             cema_tensor running_mean, cema_tensor running_var,
                             int32_t training, double momentum, double eps, cema_tensor* out);
// Batch statistics only: running = (1 - momentum) * running + momentum * batch (unbiased variance), in place.
CEMA_API int cema_batch_norm_update_stats(cema_tensor x, cema_tensor running_mean, cema_tensor running_var,
                                          double momentum);
CEMA_API int cema_linear(cema_tensor x, cema_tensor w, cema_tensor b, cema_tensor* out);
CEMA_API int cema_gelu(cema_tensor x, int32_t tanh_approx, cema_tensor* out);
CEMA_API int cema_dropout(cema_tensor x, double p, int32_t training, cema_tensor* out);
CEMA_API int cema_max_pool2d(cema_tensor x, const int64_t* kernel, const int64_t* stride,
                             const int64_t* padding, const int64_t* dilation, int32_t ceil_mode,
                             cema_tensor* out);
CEMA_API int cema_avg_pool2d(cema_tensor x, const int64_t* kernel, const int64_t* stride,
                             const int64_t* padding, int32_t ceil_mode,
                             int32_t count_include_pad, cema_tensor* out);
CEMA_API int cema_adaptive_avg_pool2d(cema_tensor x, const int64_t* output_size,
                                      cema_tensor* out);
CEMA_API int cema_softmax(cema_tensor x, int64_t dim, cema_tensor* out);
CEMA_API int cema_log_softmax(cema_tensor x, int64_t dim, cema_tensor* out);
// reduction: 0 none, 1 mean, 2 sum (as at::Reduction). Target: int64 class indices or
// floating class probabilities of the input's shape.
CEMA_API int cema_cross_entropy(cema_tensor x, cema_tensor target, cema_tensor weight,
                                int64_t reduction, int64_t ignore_index,
                                double label_smoothing, cema_tensor* out);
CEMA_API int cema_nll_loss(cema_tensor x, cema_tensor target, cema_tensor weight,
                           int64_t reduction, int64_t ignore_index, cema_tensor* out);
// reduction for kl_div additionally allows 3 = batchmean (sum / batch size), as in PyTorch.
CEMA_API int cema_kl_div(cema_tensor input, cema_tensor target, int64_t reduction,
                         int32_t log_target, cema_tensor* out);
CEMA_API int cema_mse_loss(cema_tensor a, cema_tensor b, int64_t reduction, cema_tensor* out);

#ifdef __cplusplus
}
#endif
