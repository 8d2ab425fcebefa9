#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/free_slot.hpp"
#include "statix/core/leaf_nodes.hpp"

#include <string>
#include <utility>

namespace statix {

// `sx::factor<"name">(expr)`: a scalar expression added to the log density
// (Stan's `target +=`, PyMC's Potential), reported as a term of its own. It
// is no free variable and has no draws: a term without output, as an
// observed variable is. Its gradient is the expression's, with adjoint 1.
template <class Name, class E>
struct factor_variable : variable_tag {
  static constexpr auto name = Name::value;
  static constexpr variable_kind kind = variable_kind::observed;
  static constexpr int rank = 0;
  using refs = typename E::refs;

  E expr;

  explicit factor_variable(E e) : expr(std::move(e)) {
    expr.check_data(std::string(Name::value.view()), "data in the expression");
  }

  STATIX_HD int size() const { return 1; }
  void allocate_slot(slot_layout&) {}
  void bind(slot_layout& layout) { expr.bind(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    expr.rebind_data(relocate);
  }

  template <bool Propto, bool Grad, class T>
  STATIX_HD T evaluate_term(eval_context<T>& ctx) const {
    if constexpr (Propto && !E::varies) {
      return T(0.0); // a constant, dropped as Stan's propto drops constants
    } else {
      expr.forward(ctx);
      const T value = T(expr.value(ctx, 0));
      if constexpr (Grad && E::varies) {
        summing_context<T, refs> element_ctx(ctx, expr);
        expr.backprop(element_ctx, 0, T(1.0));
        element_ctx.flush();
        expr.backward(ctx);
      }
      return value;
    }
  }
};

// A factor of a vector or matrix expression is an error on this incomplete
// type, whose argument is the factor's name: sum it with sx::sum first.
template <fixed_string Name>
struct sx_factor_takes_a_scalar_expression_sum_a_vector_first;

template <fixed_string Name, class A>
auto factor(const A& expr) {
  static_assert(is_node_v<A> || is_variable_v<A>,
                "statix: sx::factor<\"name\">(expr) takes an expression of variables");
  if constexpr (node_of_t<A>::rank != 0) {
    static_cast<void>(sizeof(sx_factor_takes_a_scalar_expression_sum_a_vector_first<Name>));
    return factor_variable<to_name_t<Name>, literal>(literal(0.0)); // nothing else reported
  } else {
    return factor_variable<to_name_t<Name>, node_of_t<A>>(as_node(expr));
  }
}

} // namespace statix
