#pragma once

#include "statix/core/macros.hpp"

namespace statix {

// Where one evaluation keeps its numbers: the value and the adjoint of every
// slot (free variables on the constrained scale, deterministics, and the
// intermediate results of non-elementwise nodes) at offsets fixed when the
// model is built. The buffers belong to the caller (one workspace per thread
// or per chain), so the model itself stays immutable and thread-safe.
template <class T>
struct eval_context {
  T* values;
  T* adjoints; // null when only values are wanted
};

} // namespace statix
