// Errors, versions, threads, seeds, generators, tensor lifecycle, creation and raw data copies.
#include <cstring>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#include "common.h"

namespace cema {
thread_local std::string last_error;
std::atomic<int64_t> live_tensors{0};
void set_error(const std::string& message) { last_error = message; }
}  // namespace cema

using namespace cema;

extern "C" {

const char* cema_last_error(void) { return last_error.c_str(); }
const char* cema_torch_version(void) { return TORCH_VERSION; }

int cema_set_num_threads(int32_t n) { CEMA_TRY(at::set_num_threads(n)) }
int cema_get_num_threads(int32_t* out) { CEMA_TRY(*out = at::get_num_threads()) }
int cema_manual_seed(int64_t seed) { CEMA_TRY(torch::manual_seed(static_cast<uint64_t>(seed))) }
int64_t cema_live_tensors(void) { return live_tensors.load(std::memory_order_relaxed); }

int cema_generator_new(uint64_t seed, cema_generator* out) {
  CEMA_TRY(*out = new at::Generator(at::make_generator<at::CPUGeneratorImpl>(seed)))
}
void cema_generator_free(cema_generator g) { delete static_cast<at::Generator*>(g); }

void cema_tensor_free(cema_tensor t) {
  if (t == nullptr) return;
  live_tensors.fetch_sub(1, std::memory_order_relaxed);
  delete static_cast<at::Tensor*>(t);
}

int cema_alias(cema_tensor t, cema_tensor* out) { CEMA_TRY(*out = wrap(T(t))) }

int cema_tensor_dtype(cema_tensor t, int32_t* out) { CEMA_TRY(*out = static_cast<int32_t>(T(t).scalar_type())) }
int cema_tensor_dim(cema_tensor t, int64_t* out) { CEMA_TRY(*out = T(t).dim()) }
int cema_tensor_numel(cema_tensor t, int64_t* out) { CEMA_TRY(*out = T(t).numel()) }
int cema_tensor_defined(cema_tensor t, int32_t* out) { CEMA_TRY(*out = T(t).defined() ? 1 : 0) }

int cema_tensor_sizes(cema_tensor t, int64_t* out, int64_t cap) {
  CEMA_TRY({
    auto s = T(t).sizes();
    if (static_cast<int64_t>(s.size()) > cap) throw std::invalid_argument("sizes buffer too small");
    for (size_t i = 0; i < s.size(); ++i) out[i] = s[i];
  })
}

int cema_tensor_to_string(cema_tensor t, char* buf, int64_t cap, int64_t* needed) {
  CEMA_TRY({
    std::ostringstream os;
    os << T(t);
    std::string s = os.str();
    *needed = static_cast<int64_t>(s.size()) + 1;
    if (buf != nullptr && cap > 0) std::snprintf(buf, static_cast<size_t>(cap), "%s", s.c_str());
  })
}

int cema_tensor_item(cema_tensor t, cema_scalar* out) { CEMA_TRY(*out = from_scalar(T(t).item())) }

int cema_tensor_same_storage(cema_tensor a, cema_tensor b, int32_t* out) {
  CEMA_TRY(*out = T(a).is_alias_of(T(b)) ? 1 : 0)
}

int cema_fill_new(int32_t kind, const int64_t* sizes, int64_t ndim, int32_t dtype,
                  int32_t requires_grad, cema_tensor* out) {
  CEMA_TRY({
    auto opts = at::TensorOptions().dtype(dtype_of(dtype));
    at::Tensor r = kind == 0   ? at::zeros(dims(sizes, ndim), opts)
                   : kind == 1 ? at::ones(dims(sizes, ndim), opts)
                               : at::empty(dims(sizes, ndim), opts);
    if (requires_grad) r.set_requires_grad(true);
    *out = wrap(r);
  })
}

int cema_full(const int64_t* sizes, int64_t ndim, cema_scalar value, int32_t dtype,
              int32_t requires_grad, cema_tensor* out) {
  CEMA_TRY({
    at::Tensor r = at::full(dims(sizes, ndim), S(value), at::TensorOptions().dtype(dtype_of(dtype)));
    if (requires_grad) r.set_requires_grad(true);
    *out = wrap(r);
  })
}

int cema_arange(cema_scalar start, cema_scalar end, cema_scalar step, int32_t dtype, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::arange(S(start), S(end), S(step), at::TensorOptions().dtype(dtype_of(dtype)))))
}

static c10::optional<at::Generator> gen_of(cema_generator g) {
  if (g == nullptr) return c10::nullopt;
  return *static_cast<at::Generator*>(g);
}

int cema_random(int32_t kind, const int64_t* sizes, int64_t ndim, int32_t dtype, cema_generator gen,
                int32_t requires_grad, cema_tensor* out) {
  CEMA_TRY({
    auto opts = at::TensorOptions().dtype(dtype_of(dtype));
    at::Tensor r = kind == 0 ? at::randn(dims(sizes, ndim), gen_of(gen), opts)
                             : at::rand(dims(sizes, ndim), gen_of(gen), opts);
    if (requires_grad) r.set_requires_grad(true);
    *out = wrap(r);
  })
}

int cema_randint(int64_t low, int64_t high, const int64_t* sizes, int64_t ndim, cema_generator gen,
                 cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::randint(low, high, dims(sizes, ndim), gen_of(gen), at::TensorOptions().dtype(at::kLong))))
}

int cema_randperm(int64_t n, cema_generator gen, cema_tensor* out) {
  CEMA_TRY(*out = wrap(at::randperm(n, gen_of(gen), at::TensorOptions().dtype(at::kLong))))
}

int cema_from_buffer(const void* data, int64_t nbytes, const int64_t* sizes, int64_t ndim,
                     int32_t dtype, cema_tensor* out) {
  CEMA_TRY({
    auto st = dtype_of(dtype);
    at::Tensor r = at::empty(dims(sizes, ndim), at::TensorOptions().dtype(st));
    int64_t expected = r.numel() * static_cast<int64_t>(c10::elementSize(st));
    if (expected != nbytes)
      throw std::invalid_argument("buffer holds " + std::to_string(nbytes) + " bytes but shape " +
                                  c10::str(r.sizes()) + " of " + c10::toString(st) + " needs " +
                                  std::to_string(expected));
    if (nbytes > 0) std::memcpy(r.data_ptr(), data, static_cast<size_t>(nbytes));
    *out = wrap(r);
  })
}

int cema_copy_to_buffer(cema_tensor t, void* buf, int64_t nbytes) {
  CEMA_TRY({
    at::Tensor c = T(t).detach().contiguous();
    int64_t expected = c.numel() * static_cast<int64_t>(c.element_size());
    if (expected != nbytes)
      throw std::invalid_argument("destination holds " + std::to_string(nbytes) +
                                  " bytes but the tensor has " + std::to_string(expected));
    if (nbytes > 0) std::memcpy(buf, c.data_ptr(), static_cast<size_t>(nbytes));
  })
}

}  // extern "C"
