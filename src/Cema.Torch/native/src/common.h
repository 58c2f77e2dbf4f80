// Helpers shared by the shim's translation units. Never included from outside the shim.
#pragma once
#include <ATen/ATen.h>
#include <torch/torch.h>

#include <atomic>
#include <string>

#include "cema_torch.h"

namespace cema {

void set_error(const std::string& message);
extern std::atomic<int64_t> live_tensors;

inline at::Tensor& T(cema_tensor h) {
  if (h == nullptr) throw std::invalid_argument("null tensor handle");
  return *static_cast<at::Tensor*>(h);
}

inline c10::optional<at::Tensor> opt(cema_tensor h) {
  if (h == nullptr) return c10::nullopt;
  return *static_cast<at::Tensor*>(h);
}

inline cema_tensor wrap(at::Tensor t) {
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}

inline at::Scalar S(cema_scalar s) {
  switch (s.kind) {
    case 1: return at::Scalar(s.i);
    case 2: return at::Scalar(s.i != 0);
    default: return at::Scalar(s.d);
  }
}

inline cema_scalar from_scalar(const at::Scalar& s) {
  cema_scalar r{0.0, 0, 0};
  if (s.isBoolean()) { r.kind = 2; r.i = s.toBool() ? 1 : 0; r.d = static_cast<double>(r.i); }
  else if (s.isIntegral(false)) { r.kind = 1; r.i = s.toLong(); r.d = static_cast<double>(r.i); }
  else { r.kind = 0; r.d = s.toDouble(); r.i = static_cast<int64_t>(r.d); }
  return r;
}

inline at::ScalarType dtype_of(int32_t code) {
  auto st = static_cast<at::ScalarType>(code);
  switch (st) {
    case at::kByte: case at::kChar: case at::kShort: case at::kInt: case at::kLong:
    case at::kHalf: case at::kFloat: case at::kDouble: case at::kBool: case at::kBFloat16:
      return st;
    default:
      throw std::invalid_argument("unsupported dtype code " + std::to_string(code));
  }
}

inline at::IntArrayRef dims(const int64_t* p, int64_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

}  // namespace cema

// Wraps a function body so that no exception crosses the C ABI: LibTorch's message (without
// its C++ backtrace) goes to thread-local storage and the caller gets a non-zero status.
#define CEMA_TRY(...)                                                   \
  try {                                                                  \
    __VA_ARGS__;                                                         \
    return 0;                                                            \
  } catch (const c10::Error& e) {                                        \
    cema::set_error(e.what_without_backtrace());                         \
    return 1;                                                            \
  } catch (const std::exception& e) {                                    \
    cema::set_error(e.what());                                           \
    return 1;                                                            \
  } catch (...) {                                                        \
    cema::set_error("unknown C++ exception in LibTorch");               \
    return 1;                                                            \
  }
