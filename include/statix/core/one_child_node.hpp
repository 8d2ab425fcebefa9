#pragma once

#include "statix/base/macros.hpp"
#include "statix/core/eval_context.hpp"
#include "statix/core/layout.hpp"
#include "statix/core/leaf_nodes.hpp"

#include <string>
#include <utility>

namespace statix {

// A node with one operand, `a`, and the members that only pass through to it:
// bind, rebind_data, check_data, forward, backward and cache_scalars. A node
// declares its own where it does more (a gather also relocates its index
// array; sum_node allocates a slot and computes into it), which hides these.
// Base is node_base<Derived>, or stored_node<Derived, Rank> for a node that
// keeps its result in a slot of its own: an element loop then reads that
// slot, not a's leaves, so cache_scalars does not pass through (stored nodes
// declare elementwise = false).
//
// Derived writes `using one_child_node<Derived, A>::a;` (with the Base it
// uses), so that its members can name `a` unqualified.
template <class Derived, class A, class Base = node_base<Derived>>
struct one_child_node : Base {
  A a;

  explicit one_child_node(A a_) : a(std::move(a_)) {}

  void bind(slot_layout& layout) { a.bind(layout); }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    a.rebind_data(relocate);
  }
  void check_data(const std::string& v, const std::string& w) const { a.check_data(v, w); }
  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    a.forward(ctx);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    a.backward(ctx);
  }
  template <class Ctx>
  STATIX_HD void cache_scalars(Ctx& ctx) const {
    if constexpr (Base::elementwise) a.cache_scalars(ctx);
  }
};

} // namespace statix
