// Views, reshaping, joining, slicing and indexing.
#include "common.h"

using namespace cema;

static std::vector<at::Tensor> list_of(const cema_tensor* ts, int64_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v.push_back(T(ts[i]));
  return v;
}

static c10::List<c10::optional<at::Tensor>> index_list(const cema_tensor* ts, int64_t n) {
  c10::List<c10::optional<at::Tensor>> l;
  l.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) l.push_back(opt(ts[i]));
  return l;
}

extern "C" {

int cema_reshape(cema_tensor t, const int64_t* sizes, int64_t ndim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).reshape(dims(sizes, ndim))))
}
int cema_view(cema_tensor t, const int64_t* sizes, int64_t ndim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).view(dims(sizes, ndim))))
}
int cema_flatten(cema_tensor t, int64_t start, int64_t end, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).flatten(start, end)))
}
int cema_permute(cema_tensor t, const int64_t* d, int64_t ndim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).permute(dims(d, ndim))))
}
int cema_transpose(cema_tensor t, int64_t d0, int64_t d1, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).transpose(d0, d1)))
}
int cema_squeeze(cema_tensor t, int64_t dim, int32_t all, cema_tensor* out) {
  CEMA_TRY(*out = wrap(all ? T(t).squeeze() : T(t).squeeze(dim)))
}
int cema_unsqueeze(cema_tensor t, int64_t dim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).unsqueeze(dim)))
}
int cema_expand(cema_tensor t, const int64_t* sizes, int64_t ndim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).expand(dims(sizes, ndim))))
}
int cema_contiguous(cema_tensor t, cema_tensor* out) { CEMA_TRY(*out = wrap(T(t).contiguous())) }

int cema_cat(const cema_tensor* ts, int64_t n, int64_t dim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::cat(list_of(ts, n), dim)))
}
int cema_stack(const cema_tensor* ts, int64_t n, int64_t dim, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::stack(list_of(ts, n), dim)))
}
int cema_slice(cema_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).slice(dim, start, end, step)))
}
int cema_select(cema_tensor t, int64_t dim, int64_t index, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).select(dim, index)))
}
int cema_narrow(cema_tensor t, int64_t dim, int64_t start, int64_t length, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).narrow(dim, start, length)))
}
int cema_index_select(cema_tensor t, int64_t dim, cema_tensor index, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).index_select(dim, T(index))))
}
int cema_index(cema_tensor t, const cema_tensor* indices, int64_t n, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::index(T(t), index_list(indices, n))))
}
int cema_index_put_(cema_tensor t, const cema_tensor* indices, int64_t n, cema_tensor values,
                    int32_t accumulate) {
  CEMA_TRY(T(t).index_put_(index_list(indices, n), T(values), accumulate != 0))
}
int cema_masked_fill(cema_tensor t, cema_tensor mask, cema_scalar value, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).masked_fill(T(mask), S(value))))
}
int cema_where(cema_tensor cond, cema_tensor a, cema_tensor b, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::where(T(cond), T(a), T(b))))
}
int cema_to_dtype(cema_tensor t, int32_t dtype, cema_tensor* out) {
  CEMA_TRY(*out = wrap(T(t).to(dtype_of(dtype))))
}
int cema_one_hot(cema_tensor t, int64_t num_classes, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::one_hot(T(t), num_classes)))
}

}  // extern "C"
