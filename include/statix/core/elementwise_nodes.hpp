#pragma once

#include "statix/core/elementwise_ops.hpp"
#include "statix/core/leaf_nodes.hpp"
#include "statix/core/one_child_node.hpp"

#include <stdexcept>
#include <string>

namespace statix {

// f(a) elementwise. The backward step recomputes a's element rather than
// storing it: expressions inside a model are shallow, and this keeps the
// workspace to the variables and the non-elementwise results.
template <class Op, class A>
struct unary_node : one_child_node<unary_node<Op, A>, A> {
  static constexpr int rank = A::rank;
  static constexpr bool varies = A::varies;
  static constexpr bool elementwise = A::elementwise;
  static constexpr bool writes_own_element = A::writes_own_element;
  using refs = typename A::refs;
  using one_child_node<unary_node<Op, A>, A>::a;

  explicit unary_node(A a_) : one_child_node<unary_node<Op, A>, A>(std::move(a_)) {}
  STATIX_HD int size() const { return a.size(); }
  STATIX_HD int rows() const { return detail::rows_of(a); }
  STATIX_HD int cols() const { return detail::cols_of(a); }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int i) const {
    return Op::f(a.value(ctx, i));
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int i, const T& adj) const {
    if constexpr (A::varies) a.backprop(ctx, i, T(adj * Op::df(a.value(ctx, i))));
  }
};

// f(a, b) elementwise; a scalar operand is broadcast over a vector one (its
// adjoint then sums over the elements, which backprop's += does).
template <class Op, class A, class B>
struct binary_node : node_base<binary_node<Op, A, B>> {
  static constexpr int rank = broadcast_rank<A, B>;
  static constexpr bool varies = A::varies || B::varies;
  static constexpr bool elementwise = A::elementwise && B::elementwise;
  static constexpr bool writes_own_element = A::writes_own_element && B::writes_own_element;
  using refs = concat_names_t<typename A::refs, typename B::refs>;

  A a;
  B b;

  static_assert(!((A::rank == 1 && B::rank == 2) || (A::rank == 2 && B::rank == 1)),
                "statix: a vector and a matrix cannot be combined elementwise (for a "
                "matrix-vector product, write matrix * vector)");

  binary_node(A a_, B b_) : a(std::move(a_)), b(std::move(b_)) {
    if constexpr (A::rank >= 1 && B::rank >= 1)
      if (detail::shape_of(a) != detail::shape_of(b))
        throw std::invalid_argument(std::string("statix: operands of ") + Op::name +
                                    " have different sizes (" +
                                    shape_text(detail::shape_of(a), A::rank) + " and " +
                                    shape_text(detail::shape_of(b), B::rank) + ")");
  }
  STATIX_HD int size() const { return A::rank >= 1 ? a.size() : b.size(); }
  STATIX_HD int rows() const { return A::rank >= 1 ? detail::rows_of(a) : detail::rows_of(b); }
  STATIX_HD int cols() const { return A::rank >= 1 ? detail::cols_of(a) : detail::cols_of(b); }
  void bind(slot_layout& layout) {
    a.bind(layout);
    b.bind(layout);
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    a.rebind_data(relocate);
    b.rebind_data(relocate);
  }
  void check_data(const std::string& v, const std::string& w) const {
    a.check_data(v, w);
    b.check_data(v, w);
  }
  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    a.forward(ctx);
    b.forward(ctx);
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    b.backward(ctx);
    a.backward(ctx);
  }
  template <class Ctx>
  STATIX_HD void cache_scalars(Ctx& ctx) const {
    a.cache_scalars(ctx);
    b.cache_scalars(ctx);
  }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int i) const {
    return Op::f(a.value(ctx, i), b.value(ctx, i));
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int i, const T& adj) const {
    if constexpr (A::varies && B::varies) {
      const auto av = a.value(ctx, i);
      const auto bv = b.value(ctx, i);
      a.backprop(ctx, i, T(adj * Op::da(av, bv)));
      b.backprop(ctx, i, T(adj * Op::db(av, bv)));
    } else if constexpr (A::varies) {
      a.backprop(ctx, i, T(adj * Op::da(a.value(ctx, i), b.value(ctx, i))));
    } else if constexpr (B::varies) {
      b.backprop(ctx, i, T(adj * Op::db(a.value(ctx, i), b.value(ctx, i))));
    }
  }
};

} // namespace statix
