#pragma once

#include "statix/core/as_node.hpp"
#include "statix/core/one_child_node.hpp"

#include <stdexcept>
#include <string>

namespace statix {

namespace detail {
template <class A>
std::string operand_name() {
  if constexpr (requires { A::name; })
    return "\"" + std::string(A::name.view()) + "\"";
  else
    return "an expression";
}
} // namespace detail

// v[idx]: element idx[i] of v for each i (0-based), as varying intercepts by
// group need. The adjoint scatters back with +=, so repeated indices add up.
template <class A>
struct gather_node : one_child_node<gather_node<A>, A> {
  static constexpr int rank = 1;
  static constexpr bool varies = A::varies;
  static constexpr bool elementwise = A::elementwise;
  static constexpr bool writes_own_element = false;
  using refs = typename A::refs;
  static_assert(A::rank == 1, "statix: only a vector can be indexed");
  using one_child_node<gather_node<A>, A>::a;

  int_data_vector index;

  gather_node(A a_, int_data_vector index_)
      : one_child_node<gather_node<A>, A>(std::move(a_)), index(std::move(index_)) {
    for (int i = 0; i < index.size(); ++i)
      if (index.data_[i] < 0 || index.data_[i] >= a.size())
        throw std::out_of_range("statix: index " + std::to_string(index.data_[i]) + " (position " +
                                std::to_string(i) + ") is out of range for " +
                                detail::operand_name<A>() + " of size " + std::to_string(a.size()) +
                                " (indices are 0-based)");
  }
  STATIX_HD int size() const { return index.size(); }
  // The index array is data too.
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    a.rebind_data(relocate);
    index.rebind_data(relocate);
  }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int i) const {
    return a.value(ctx, index.data_[i]);
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int i, const T& adj) const {
    if constexpr (A::varies) a.backprop(ctx, index.data_[i], adj);
  }
};

// v[k]: one element, a scalar.
template <class A>
struct element_node : one_child_node<element_node<A>, A> {
  static constexpr int rank = 0;
  static constexpr bool varies = A::varies;
  static constexpr bool elementwise = A::elementwise;
  static constexpr bool writes_own_element = false;
  using refs = typename A::refs;
  static_assert(A::rank == 1, "statix: only a vector can be indexed");
  using one_child_node<element_node<A>, A>::a;

  int k;

  element_node(A a_, int k_) : one_child_node<element_node<A>, A>(std::move(a_)), k(k_) {
    if (k < 0 || k >= a.size())
      throw std::out_of_range("statix: index " + std::to_string(k) + " is out of range for " +
                              detail::operand_name<A>() + " of size " + std::to_string(a.size()) +
                              " (indices are 0-based)");
  }
  STATIX_HD int size() const { return 1; }
  template <class Ctx>
  STATIX_HD auto value(const Ctx& ctx, int) const {
    return a.value(ctx, k);
  }
  template <class Ctx, class T>
  STATIX_HD void backprop(Ctx& ctx, int, const T& adj) const {
    if constexpr (A::varies) a.backprop(ctx, k, adj);
  }
};

template <class A, class Index>
auto make_index_node(const A& a, const Index& index) {
  if constexpr (std::is_integral_v<Index>)
    return element_node<A>(a, static_cast<int>(index));
  else
    return gather_node<A>(a, as_int_data(index));
}

template <class Derived>
template <class Index>
auto node_base<Derived>::operator[](const Index& index) const {
  return make_index_node(static_cast<const Derived&>(*this), index);
}

} // namespace statix
