#pragma once

#include "statix/core/eval_context.hpp"
#include "statix/core/layout.hpp"
#include "statix/core/leaf_nodes.hpp"
#include "statix/core/reduction_nodes.hpp"
#include "statix/core/node_shape.hpp"

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>

#include <type_traits>
#include <utility>

namespace statix {

// One argument of a whole-array computation (a matrix function, a
// multivariate density): its values in one contiguous column-major array,
// and where its adjoint goes (null for a constant, or without a gradient).
// Kernels add to the adjoint.
template <class T>
struct operand {
  const T* value = nullptr;
  T* adjoint = nullptr;
  int rows = 1;
  int cols = 1;
  STATIX_HD int size() const { return rows * cols; }
};

namespace detail {
// Data read in place (no copy into the workspace) when the kernel's scalar
// is double.
template <class A>
concept contiguous_data = !A::varies && requires(const A& a) {
  { a.data() } -> std::convertible_to<const double*>;
};
template <class A>
inline constexpr bool is_variable_ref_v = false;
template <class A>
inline constexpr bool variable_ref_direct = false;
template <class Name, int Rank, bool Direct>
inline constexpr bool is_variable_ref_v<variable_ref<Name, Rank, Direct>> = true;
template <class Name, int Rank, bool Direct>
inline constexpr bool variable_ref_direct<variable_ref<Name, Rank, Direct>> = Direct;

// Whose values are already one array in the workspace (a variable's slot or
// its place in the unconstrained point, a stored node's slot): read in place,
// and the kernel adds to its adjoint in place, which is what backprop would
// do element by element.
template <class A>
inline constexpr bool in_workspace = is_variable_ref_v<A> || std::is_base_of_v<stored_node<A, A::rank>, A>;
} // namespace detail

// The arguments of a node that computes on whole arrays: each is evaluated
// into a workspace slot once per evaluation (its adjoint in the same slot of
// the adjoint buffer), the kernel reads and adds to those, and backward()
// pushes each slot's adjoint through its expression as one loop.
template <class... A>
struct operand_buffers {
  static constexpr std::size_t count = sizeof...(A);
  static constexpr bool varies = (A::varies || ...);
  using refs = concat_names_t<typename A::refs...>;

  boost::hana::tuple<A...> args;
  int offsets_[count > 0 ? count : 1] = {};

  explicit operand_buffers(A... a) : args(std::move(a)...) {}

  template <std::size_t K>
  STATIX_HD const auto& arg() const {
    return boost::hana::at_c<K>(args);
  }
  template <std::size_t K>
  auto& arg() {
    return boost::hana::at_c<K>(args);
  }
  template <std::size_t K>
  using arg_type =
      std::remove_cvref_t<decltype(boost::hana::at_c<K>(std::declval<boost::hana::tuple<A...>>()))>;

  template <class F>
  void for_each(F&& f) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (f(boost::hana::at_c<K>(args)), ...);
    }
    (std::make_index_sequence<count>{});
  }
  template <class F>
  void for_each(F&& f) const {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (f(boost::hana::at_c<K>(args)), ...);
    }
    (std::make_index_sequence<count>{});
  }

  void shapes(shape* out) const {
    int k = 0;
    for_each([&](const auto& a) { out[k++] = detail::shape_of(a); });
  }

  void bind(slot_layout& layout) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (arg<K>().bind(layout), ...);
      ((offsets_[K] = detail::in_workspace<arg_type<K>> ? -1 : layout.allocate(arg<K>().size())),
       ...);
    }
    (std::make_index_sequence<count>{});
  }
  template <class Relocate>
  void rebind_data(Relocate&& relocate) {
    for_each([&](auto& a) { a.rebind_data(relocate); });
  }
  void check_data(const std::string& v, const std::string& w) const {
    for_each([&](const auto& a) { a.check_data(v, w); });
  }

  template <class T>
  STATIX_HD void forward(eval_context<T>& ctx) const {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (fill<K>(ctx), ...);
    }
    (std::make_index_sequence<count>{});
  }
  template <class T>
  STATIX_HD void backward(eval_context<T>& ctx) const {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (push<count - 1 - K>(ctx), ...);
    }
    (std::make_index_sequence<count>{});
  }

  template <std::size_t K, class T>
  STATIX_HD operand<T> get(const eval_context<T>& ctx) const {
    using AK = arg_type<K>;
    const auto& a = arg<K>();
    operand<T> o;
    o.rows = detail::rows_of(a);
    o.cols = detail::cols_of(a);
    if constexpr (detail::is_variable_ref_v<AK>) {
      constexpr bool direct = detail::variable_ref_direct<AK>;
      o.value = ctx.template value_base<direct>() + a.offset_;
      T* adjoints = ctx.template adjoint_base<direct>();
      o.adjoint = adjoints != nullptr ? adjoints + a.offset_ : nullptr;
      return o;
    } else if constexpr (detail::in_workspace<AK>) {
      o.value = ctx.values + a.offset_;
      if constexpr (AK::varies)
        o.adjoint = ctx.adjoints != nullptr ? ctx.adjoints + a.offset_ : nullptr;
      return o;
    }
    if constexpr (in_place<AK, T>)
      o.value = a.data();
    else
      o.value = ctx.values + offsets_[K];
    if constexpr (AK::varies)
      o.adjoint = ctx.adjoints != nullptr ? ctx.adjoints + offsets_[K] : nullptr;
    return o;
  }

private:
  template <class AK, class T>
  static constexpr bool in_place = std::is_same_v<T, double> && detail::contiguous_data<AK>;

  template <std::size_t K, class T>
  STATIX_HD void fill(eval_context<T>& ctx) const {
    using AK = arg_type<K>;
    const auto& a = arg<K>();
    a.forward(ctx);
    if constexpr (detail::in_workspace<AK>) return;
    if constexpr (!in_place<AK, T>) {
      const int n = a.size();
      T* out = ctx.values + offsets_[K];
      for (int j = 0; j < n; ++j)
        out[j] = T(a.value(ctx, j));
    }
    if constexpr (AK::varies)
      if (ctx.adjoints != nullptr) {
        T* adj = ctx.adjoints + offsets_[K];
        for (int j = 0, n = a.size(); j < n; ++j)
          adj[j] = T(0.0);
      }
  }
  template <std::size_t K, class T>
  STATIX_HD void push(eval_context<T>& ctx) const {
    using AK = arg_type<K>;
    if constexpr (AK::varies) {
      const auto& a = arg<K>();
      if constexpr (detail::in_workspace<AK>) {
        a.backward(ctx); // the kernel added to its adjoint in place
        return;
      }
      const T* adj = ctx.adjoints + offsets_[K];
      summing_context<T, typename AK::refs> element_ctx(ctx, a);
      for (int j = 0, n = a.size(); j < n; ++j)
        a.backprop(element_ctx, j, adj[j]);
      element_ctx.flush();
      a.backward(ctx);
    }
  }
};

} // namespace statix
