// Element-wise arithmetic, comparisons, in-place updates, matmul and reductions.
#include "common.h"

using namespace cema;

static at::Tensor unary(int32_t op, const at::Tensor& a) {
  switch (op) {
    case CEMA_NEG: return a.neg();
    case CEMA_EXP: return a.exp();
    case CEMA_LOG: return a.log();
    case CEMA_SQRT: return a.sqrt();
    case CEMA_ABS: return a.abs();
    case CEMA_SIGMOID: return a.sigmoid();
    case CEMA_TANH: return a.tanh();
    case CEMA_RELU: return a.relu();
    case CEMA_SIGN: return a.sign();
    case CEMA_RSQRT: return a.rsqrt();
    case CEMA_SQUARE: return a.square();
    case CEMA_LOGICAL_NOT: return a.logical_not();
    case CEMA_FLOOR: return a.floor();
    case CEMA_CEIL: return a.ceil();
    case CEMA_ROUND: return a.round();
    case CEMA_ISNAN: return a.isnan();
    case CEMA_COS: return a.cos();
    case CEMA_SIN: return a.sin();
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(op));
}

static void unary_(int32_t op, at::Tensor& a) {
  switch (op) {
    case CEMA_NEG: a.neg_(); return;
    case CEMA_EXP: a.exp_(); return;
    case CEMA_LOG: a.log_(); return;
    case CEMA_SQRT: a.sqrt_(); return;
    case CEMA_ABS: a.abs_(); return;
    case CEMA_SIGMOID: a.sigmoid_(); return;
    case CEMA_TANH: a.tanh_(); return;
    case CEMA_RELU: a.relu_(); return;
    case CEMA_SIGN: a.sign_(); return;
    case CEMA_RSQRT: a.rsqrt_(); return;
    case CEMA_SQUARE: a.square_(); return;
    case CEMA_FLOOR: a.floor_(); return;
    case CEMA_CEIL: a.ceil_(); return;
    case CEMA_ROUND: a.round_(); return;
  }
  throw std::invalid_argument("unary op " + std::to_string(op) + " has no in-place form");
}

// B is at::Tensor or at::Scalar: one switch serves both forms.
template <typename B>
static at::Tensor binary(int32_t op, const at::Tensor& a, const B& b) {
  switch (op) {
    case CEMA_ADD: return at::add(a, b);
    case CEMA_SUB: return at::sub(a, b);
    case CEMA_MUL: return at::mul(a, b);
    case CEMA_DIV: return at::div(a, b);
    case CEMA_POW: return at::pow(a, b);
    case CEMA_EQ: return at::eq(a, b);
    case CEMA_NE: return at::ne(a, b);
    case CEMA_LT: return at::lt(a, b);
    case CEMA_LE: return at::le(a, b);
    case CEMA_GT: return at::gt(a, b);
    case CEMA_GE: return at::ge(a, b);
    case CEMA_REMAINDER: return at::remainder(a, b);
    case CEMA_FLOOR_DIVIDE: return at::floor_divide(a, b);
  }
  if constexpr (std::is_same_v<B, at::Tensor>) {
    switch (op) {
      case CEMA_MAXIMUM: return at::maximum(a, b);
      case CEMA_MINIMUM: return at::minimum(a, b);
      case CEMA_LOGICAL_AND: return at::logical_and(a, b);
      case CEMA_LOGICAL_OR: return at::logical_or(a, b);
    }
  } else {
    switch (op) {
      case CEMA_MAXIMUM: return at::clamp_min(a, b);
      case CEMA_MINIMUM: return at::clamp_max(a, b);
    }
  }
  throw std::invalid_argument("unknown binary op " + std::to_string(op));
}

template <typename B>
static void binary_(int32_t op, at::Tensor& a, const B& b) {
  switch (op) {
    case CEMA_ADD: a.add_(b); return;
    case CEMA_SUB: a.sub_(b); return;
    case CEMA_MUL: a.mul_(b); return;
    case CEMA_DIV: a.div_(b); return;
    case CEMA_POW: a.pow_(b); return;
    case CEMA_REMAINDER: a.remainder_(b); return;
  }
  if constexpr (!std::is_same_v<B, at::Tensor>) {
    switch (op) {
      case CEMA_MAXIMUM: a.clamp_min_(b); return;
      case CEMA_MINIMUM: a.clamp_max_(b); return;
    }
  }
  throw std::invalid_argument("binary op " + std::to_string(op) + " has no in-place form");
}

extern "C" {

int cema_unary(int32_t op, cema_tensor a, cema_tensor* out) { CEMA_TRY(*out = wrap(unary(op, T(a)))) }
int cema_unary_(int32_t op, cema_tensor a) { CEMA_TRY(unary_(op, T(a))) }
int cema_binary(int32_t op, cema_tensor a, cema_tensor b, cema_tensor* out) {
  CEMA_TRY(*out = wrap(binary(op, T(a), T(b))))
}
int cema_binary_scalar(int32_t op, cema_tensor a, cema_scalar b, cema_tensor* out) {
  CEMA_TRY(*out = wrap(binary(op, T(a), S(b))))
}
int cema_scalar_binary(int32_t op, cema_scalar a, cema_tensor b, cema_tensor* out) {
  CEMA_TRY({
    const at::Tensor& t = T(b);
    at::Scalar s = S(a);
    at::Tensor r;
    switch (op) {
      case CEMA_ADD: r = at::add(t, s); break;
      case CEMA_SUB: r = at::rsub(t, s); break;
      case CEMA_MUL: r = at::mul(t, s); break;
      // As PyTorch's __rtruediv__. Not mul_: reciprocal saves its result for backward.
      case CEMA_DIV: r = at::reciprocal(t).mul(s); break;
      case CEMA_POW: r = at::pow(s, t); break;
      default: {
        // Comparisons and the rest: promote the scalar to a 0-dim tensor of the right kind.
        at::Tensor st = at::scalar_tensor(s, at::TensorOptions().dtype(
                                                 at::result_type(t, s)));
        r = binary(op, st, t);
      }
    }
    *out = wrap(r);
  })
}
int cema_binary_(int32_t op, cema_tensor a, cema_tensor b) { CEMA_TRY(binary_(op, T(a), T(b))) }
int cema_binary_scalar_(int32_t op, cema_tensor a, cema_scalar b) { CEMA_TRY(binary_(op, T(a), S(b))) }

int cema_add_scaled_(cema_tensor a, cema_tensor b, cema_scalar alpha) { CEMA_TRY(T(a).add_(T(b), S(alpha))) }
int cema_addcmul_(cema_tensor a, cema_tensor b, cema_tensor c, cema_scalar value) {
  CEMA_TRY(T(a).addcmul_(T(b), T(c), S(value)))
}
int cema_addcdiv_(cema_tensor a, cema_tensor b, cema_tensor c, cema_scalar value) {
  CEMA_TRY(T(a).addcdiv_(T(b), T(c), S(value)))
}
int cema_lerp_(cema_tensor a, cema_tensor end, cema_scalar weight) { CEMA_TRY(T(a).lerp_(T(end), S(weight))) }

int cema_clamp(cema_tensor a, cema_scalar lo, int32_t has_lo, cema_scalar hi, int32_t has_hi, cema_tensor* out) {
  CEMA_TRY({
    c10::optional<at::Scalar> l = has_lo ? c10::optional<at::Scalar>(S(lo)) : c10::nullopt;
    c10::optional<at::Scalar> h = has_hi ? c10::optional<at::Scalar>(S(hi)) : c10::nullopt;
    *out = wrap(at::clamp(T(a), l, h));
  })
}
int cema_copy_(cema_tensor dst, cema_tensor src) { CEMA_TRY(T(dst).copy_(T(src))) }
int cema_fill_(cema_tensor t, cema_scalar value) { CEMA_TRY(T(t).fill_(S(value))) }
int cema_zero_(cema_tensor t) { CEMA_TRY(T(t).zero_()) }
int cema_matmul(cema_tensor a, cema_tensor b, cema_tensor* out) { CEMA_TRY(*out = wrap(at::matmul(T(a), T(b)))) }
int cema_equal(cema_tensor a, cema_tensor b, int32_t* out) { CEMA_TRY(*out = at::equal(T(a), T(b)) ? 1 : 0) }
int cema_allclose(cema_tensor a, cema_tensor b, double rtol, double atol, int32_t* out) {
  CEMA_TRY(*out = at::allclose(T(a), T(b), rtol, atol) ? 1 : 0)
}

int cema_reduce(int32_t op, cema_tensor t, const int64_t* d, int64_t nd, int32_t keepdim, cema_tensor* out) {
  CEMA_TRY({
    const at::Tensor& x = T(t);
    bool all = nd == 0;
    at::IntArrayRef ds = dims(d, nd);
    bool kd = keepdim != 0;
    at::Tensor r;
    switch (op) {
      case CEMA_SUM: r = all ? x.sum() : x.sum(ds, kd); break;
      case CEMA_MEAN: r = all ? x.mean() : x.mean(ds, kd); break;
      case CEMA_AMAX: r = all ? x.max() : x.amax(ds, kd); break;
      case CEMA_AMIN: r = all ? x.min() : x.amin(ds, kd); break;
      case CEMA_PROD:
        if (nd > 1) throw std::invalid_argument("prod reduces over one dim at a time");
        r = all ? x.prod() : x.prod(d[0], kd);
        break;
      case CEMA_ALL:
        if (nd > 1) throw std::invalid_argument("all reduces over one dim at a time");
        r = all ? x.all() : x.all(d[0], kd);
        break;
      case CEMA_ANY:
        if (nd > 1) throw std::invalid_argument("any reduces over one dim at a time");
        r = all ? x.any() : x.any(d[0], kd);
        break;
      case CEMA_VAR: r = all ? x.var() : x.var(ds, /*unbiased=*/true, kd); break;
      case CEMA_STD: r = all ? x.std() : x.std(ds, /*unbiased=*/true, kd); break;
      default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
    }
    // Reducing over every dim with keepdim keeps each dim as size 1, as torch.var(x, keepdim=True).
    if (all && kd) r = r.reshape(std::vector<int64_t>(static_cast<size_t>(x.dim()), 1));
    *out = wrap(r);
  })
}

int cema_max_min_dim(int32_t is_max, cema_tensor t, int64_t dim, int32_t keepdim, cema_tensor* values,
                     cema_tensor* indices) {
  CEMA_TRY({
    auto r = is_max ? at::max(T(t), dim, keepdim != 0) : at::min(T(t), dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}

int cema_argmax_argmin(int32_t is_max, cema_tensor t, int64_t dim, int32_t has_dim, int32_t keepdim,
                       cema_tensor* out) {
  CEMA_TRY({
    c10::optional<int64_t> d = has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
    *out = wrap(is_max ? at::argmax(T(t), d, keepdim != 0) : at::argmin(T(t), d, keepdim != 0));
  })
}

}  // extern "C"
