// Neural-network functions: convolution, normalization, activations, pooling and losses.
#include "common.h"

using namespace cema;

static at::IntArrayRef pair(const int64_t* p) { return at::IntArrayRef(p, 2); }

extern "C" {

int cema_conv2d(cema_tensor x, cema_tensor w, cema_tensor b, const int64_t* stride, const int64_t* padding,
                const int64_t* dilation, int64_t groups, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::conv2d(T(x), T(w), opt(b), pair(stride), pair(padding), pair(dilation), groups)))
}

int cema_batch_norm(cema_tensor x, cema_tensor weight, cema_tensor bias, cema_tensor running_mean,
                    cema_tensor running_var, int32_t training, double momentum, double eps, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::batch_norm(T(x), opt(weight), opt(bias), opt(running_mean), opt(running_var),
                                      training != 0, momentum, eps, /*cudnn_enabled=*/false)))
}

int cema_batch_norm_update_stats(cema_tensor x, cema_tensor running_mean, cema_tensor running_var, double momentum) {
  CEMA_TRY(at::batch_norm_update_stats(T(x), opt(running_mean), opt(running_var), momentum))
}

int cema_linear(cema_tensor x, cema_tensor w, cema_tensor b, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::linear(T(x), T(w), opt(b))))
}

int cema_gelu(cema_tensor x, int32_t tanh_approx, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::gelu(T(x), tanh_approx ? "tanh" : "none")))
}

int cema_dropout(cema_tensor x, double p, int32_t training, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::dropout(T(x), p, training != 0)))
}

int cema_max_pool2d(cema_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                    const int64_t* dilation, int32_t ceil_mode, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::max_pool2d(T(x), pair(kernel), pair(stride), pair(padding), pair(dilation),
                                      ceil_mode != 0)))
}

int cema_avg_pool2d(cema_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                    int32_t ceil_mode, int32_t count_include_pad, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::avg_pool2d(T(x), pair(kernel), pair(stride), pair(padding), ceil_mode != 0,
                                      count_include_pad != 0)))
}

int cema_adaptive_avg_pool2d(cema_tensor x, const int64_t* output_size, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::adaptive_avg_pool2d(T(x), pair(output_size))))
}

int cema_softmax(cema_tensor x, int64_t dim, cema_tensor* out) { CEMA_TRY(*out = wrap(at::softmax(T(x), dim))) }
int cema_log_softmax(cema_tensor x, int64_t dim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::log_softmax(T(x), dim)))
}

int cema_cross_entropy(cema_tensor x, cema_tensor target, cema_tensor weight, int64_t reduction,
                       int64_t ignore_index, double label_smoothing, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::cross_entropy_loss(T(x), T(target), opt(weight), reduction, ignore_index,
                                              label_smoothing)))
}

int cema_nll_loss(cema_tensor x, cema_tensor target, cema_tensor weight, int64_t reduction,
                  int64_t ignore_index, cema_tensor* out) {
  // nll_loss_nd, as torch.nn.functional.nll_loss: at::nll_loss only takes 1-D or 2-D input.
  CEMA_TRY(*out = wrap(at::nll_loss_nd(T(x), T(target), opt(weight), reduction, ignore_index)))
}

int cema_kl_div(cema_tensor input, cema_tensor target, int64_t reduction, int32_t log_target, cema_tensor* out) {
  CEMA_TRY({
    // batchmean is PyTorch's Python-level reduction: sum over all, divided by the batch size.
    if (reduction == 3) {
      at::Tensor s = at::kl_div(T(input), T(target), at::Reduction::Sum, log_target != 0);
      *out = wrap(T(input).dim() == 0 ? s : s / T(input).size(0));
    } else {
      *out = wrap(at::kl_div(T(input), T(target), reduction, log_target != 0));
    }
  })
}

int cema_mse_loss(cema_tensor a, cema_tensor b, int64_t reduction, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::mse_loss(T(a), T(b), reduction)))
}

}  // extern "C"
