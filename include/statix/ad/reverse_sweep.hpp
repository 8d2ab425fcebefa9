#pragma once

#include "statix/base/macros.hpp"
#include "statix/core/eval_context.hpp"
#include "statix/core/free_slot.hpp"

#include <boost/hana/at.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace statix::ad {

// Reverse mode without a tape. The forward pass (the model's evaluate) fills
// every slot's value and clears its adjoint; each term then adds the partials
// of its log density to the adjoints of what it reads (element loops add
// straight into the leaves' adjoints; nodes with a slot of their own, and the
// multivariate terms, push theirs back through backward()). What is left is
// this sweep over the variables: in reverse evaluation order, a variable's
// adjoint is complete before it is pushed on to what it reads.

// The sweep over `variables` (a boost::hana tuple) in the reverse of Order,
// their evaluation order (a topological order of the dependency graph, as
// compiled_model::order). Unrolled at compile time: one step per variable,
// inlined into the model's flattened evaluation. A free variable pushes the
// adjoints of its constrained values through its transform's adjoint into
// the gradient (adding the gradient of log|J| when `jacobian`); a
// deterministic pushes its adjoints through its expression. An observed
// variable has none of its own.
template <auto Order, class Variables, class T>
STATIX_HD void reverse_sweep(const Variables& variables, eval_context<T>& ctx, const T* x, T* grad,
                             bool jacobian) {
  constexpr std::size_t count = Order.size();
  auto step = [&](const auto& v) {
    using V = std::remove_cvref_t<decltype(v)>;
    if constexpr (V::kind == variable_kind::free)
      v.constrain_backward(ctx, x, grad, jacobian);
    else if constexpr (V::kind == variable_kind::deterministic)
      v.backward(ctx);
  };
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (step(boost::hana::at_c<Order[count - 1 - I]>(variables)), ...);
  }
  (std::make_index_sequence<count>{});
}

} // namespace statix::ad
