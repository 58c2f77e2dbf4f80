// Autograd: gradient flags, backward, gradients, detaching and the thread's grad mode.
#include "common.h"

using namespace cema;

extern "C" {

int cema_requires_grad(cema_tensor t, int32_t* out) { CEMA_TRY(*out = T(t).requires_grad() ? 1 : 0) }
// requires_grad_ (not set_requires_grad): it refuses to switch a non-leaf off, as PyTorch does,
// where set_requires_grad(false) would be a silent no-op.
int cema_set_requires_grad(cema_tensor t, int32_t value) { CEMA_TRY(T(t).requires_grad_(value != 0)) }
int cema_is_leaf(cema_tensor t, int32_t* out) { CEMA_TRY(*out = T(t).is_leaf() ? 1 : 0) }
int cema_has_grad_fn(cema_tensor t, int32_t* out) { CEMA_TRY(*out = T(t).grad_fn() != nullptr ? 1 : 0) }

int cema_backward(cema_tensor t, cema_tensor grad, int32_t retain_graph, int32_t create_graph) {
  CEMA_TRY({
    at::Tensor g = grad == nullptr ? at::Tensor() : T(grad);
    T(t).backward(g, retain_graph ? c10::optional<bool>(true) : c10::nullopt, create_graph != 0);
  })
}

int cema_grad(cema_tensor t, cema_tensor* out) {
  CEMA_TRY({
    const at::Tensor& g = T(t).grad();
    *out = g.defined() ? wrap(g) : nullptr;
  })
}

int cema_set_grad(cema_tensor t, cema_tensor grad) {
  CEMA_TRY(T(t).mutable_grad() = grad == nullptr ? at::Tensor() : T(grad))
}

int cema_detach(cema_tensor t, cema_tensor* out) { CEMA_TRY(*out = wrap(T(t).detach())) }
int cema_detach_(cema_tensor t) { CEMA_TRY(T(t).detach_()) }
int cema_clone(cema_tensor t, cema_tensor* out) { CEMA_TRY(*out = wrap(T(t).clone())) }

int cema_set_grad_enabled(int32_t enabled, int32_t* previous) {
  CEMA_TRY({
    *previous = at::GradMode::is_enabled() ? 1 : 0;
    at::GradMode::set_enabled(enabled != 0);
  })
}
int cema_is_grad_enabled(int32_t* out) { CEMA_TRY(*out = at::GradMode::is_enabled() ? 1 : 0) }

}  // extern "C"
