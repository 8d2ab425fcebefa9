#pragma once

#include "statix/base/macros.hpp"
#include "statix/base/name_list.hpp"

#include <type_traits>
#include <utility>

namespace statix {

// Where one evaluation keeps its numbers: the value and the adjoint of every
// slot (free variables on the constrained scale, deterministics, and the
// intermediate results of non-elementwise nodes) at offsets fixed when the
// model is built. The buffers belong to the caller (one workspace per thread
// or per chain), so the model itself stays immutable and thread-safe.
template <class T>
struct eval_context {
  using scalar_type = T;

  T* values;
  T* adjoints; // null when only values are wanted
  // Free variables without bounds (the identity transform) are read straight
  // from the unconstrained point, and their adjoints are the gradient: no
  // copy into the workspace and no copy back.
  const T* unconstrained = nullptr;
  T* unconstrained_adjoints = nullptr; // the gradient; null when not wanted

  // Where a variable's values and adjoints are: Direct for the free
  // variables read from the unconstrained point.
  template <bool Direct>
  STATIX_HD const T* value_base() const {
    if constexpr (Direct)
      return unconstrained;
    else
      return values;
  }
  template <bool Direct>
  STATIX_HD T* adjoint_base() const {
    if constexpr (Direct)
      return unconstrained_adjoints;
    else
      return adjoints;
  }

  // The value of scalar variable Name, at offset.
  template <class Name, bool Direct>
  STATIX_HD const T& scalar_value(int offset) const {
    return value_base<Direct>()[offset];
  }
  template <class Name, bool Direct>
  STATIX_HD void cache_scalar(int) {}

  // The adjoint of scalar variable Name, at offset, grows by adj.
  template <class Name, bool Direct>
  STATIX_HD void add_scalar_adjoint(int offset, const T& adj) {
    adjoint_base<Direct>()[offset] += adj;
  }

  // The values and the adjoints of vector variable Name, from offset.
  template <class Name, bool Direct>
  STATIX_HD const T* vector_values(int offset) const {
    return value_base<Direct>() + offset;
  }
  template <class Name, bool Direct>
  STATIX_HD T* vector_adjoints(int offset) const {
    return adjoint_base<Direct>() + offset;
  }
  template <class Name, bool Direct>
  STATIX_HD void cache_vector(int) {}
  // Element i of vector variable Name's adjoint, to add to or to set.
  template <class Name, bool Direct>
  STATIX_HD T& adjoint_element(int offset, int i) {
    return vector_adjoints<Name, Direct>(offset)[i];
  }
};

namespace detail {
template <class Name, class... Names>
constexpr int name_position() {
  int position = -1, k = 0;
  ((std::is_same_v<Name, Names> && position < 0 ? (position = k, ++k) : ++k), ...);
  return position;
}
} // namespace detail

// The context of a loop over the elements of a vector expression: the
// scalar variables it reads (Names) are read once into locals (cache_scalars
// of the expression), and their adjoints are summed in locals and added to
// the workspace once by flush(). Read and added in place, every element would
// reload them (a store to the workspace may alias them) and chain a
// load-add-store through memory from one element to the next. A vector
// variable's place is kept once too, under its name: every read of it in the
// loop, from whichever expression, is then the same address, which the
// compiler can see (loops of several terms share one context). Contract:
// everything the loop reads through the context was passed to its
// constructor or to cache_scalars; a scalar is cached only where the loop
// also pushes its adjoint (flush adds every cached scalar's sum).
//
// Owned: vector variables whose adjoint at element i is first set in the
// loop's iteration i (by their own prior) and touched at element i alone:
// it is kept in a register for the iteration and stored once by
// end_element(i), so the iteration makes no store that later loads of the
// same iteration must assume may alias (each element is loaded once).
template <class T, class Names, class Owned = name_list<>>
struct summing_context;

template <class T, class... Names, class... Owned>
struct summing_context<T, name_list<Names...>, name_list<Owned...>> : eval_context<T> {
  static constexpr int count = sizeof...(Names) > 0 ? sizeof...(Names) : 1;
  static constexpr int owned_count = sizeof...(Owned) > 0 ? sizeof...(Owned) : 1;
  T element_adjoints[owned_count];
  T sums[count];
  T cached[count];
  T* targets[count];           // where each sum is added; null for the names not cached
  const T* value_bases[count]; // vector variables: where their values are
  T* adjoint_bases[count];     // and their adjoints

  // The loop's context over the expressions it evaluates (more can load
  // their scalar variables later, through their cache_scalars).
  template <class... Nodes>
  STATIX_HD explicit summing_context(const eval_context<T>& base, const Nodes&... nodes)
      : eval_context<T>(base) {
    // Constant indices, not a loop: the arrays then live in registers.
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((sums[K] = T(0.0), cached[K] = T(0.0), targets[K] = nullptr, value_bases[K] = nullptr,
        adjoint_bases[K] = nullptr),
       ...);
    }
    (std::make_index_sequence<count>{});
    (nodes.cache_scalars(*this), ...);
  }

  template <class Name, bool Direct>
  STATIX_HD void cache_scalar(int offset) {
    constexpr int k = detail::name_position<Name, Names...>();
    if constexpr (k >= 0) {
      cached[k] = this->template value_base<Direct>()[offset];
      T* adjoints = this->template adjoint_base<Direct>();
      targets[k] = adjoints != nullptr ? adjoints + offset : nullptr;
    }
  }
  template <class Name, bool Direct>
  STATIX_HD const T& scalar_value(int offset) const {
    constexpr int k = detail::name_position<Name, Names...>();
    if constexpr (k >= 0)
      return cached[k];
    else
      return this->template value_base<Direct>()[offset];
  }

  template <class Name, bool Direct>
  STATIX_HD void add_scalar_adjoint(int offset, const T& adj) {
    constexpr int k = detail::name_position<Name, Names...>();
    if constexpr (k < 0)
      this->template adjoint_base<Direct>()[offset] += adj;
    else
      sums[k] += adj;
  }

  template <class Name, bool Direct>
  STATIX_HD void cache_vector(int offset) {
    constexpr int k = detail::name_position<Name, Names...>();
    if constexpr (k >= 0) {
      value_bases[k] = this->template value_base<Direct>() + offset;
      T* adjoints = this->template adjoint_base<Direct>();
      adjoint_bases[k] = adjoints != nullptr ? adjoints + offset : nullptr;
    }
  }
  template <class Name, bool Direct>
  STATIX_HD const T* vector_values(int offset) const {
    constexpr int k = detail::name_position<Name, Names...>();
    if constexpr (k >= 0)
      return value_bases[k];
    else
      return this->template value_base<Direct>() + offset;
  }
  template <class Name, bool Direct>
  STATIX_HD T* vector_adjoints(int offset) const {
    constexpr int k = detail::name_position<Name, Names...>();
    if constexpr (k >= 0)
      return adjoint_bases[k];
    else
      return this->template adjoint_base<Direct>() + offset;
  }
  template <class Name, bool Direct>
  STATIX_HD T& adjoint_element(int offset, int i) {
    constexpr int o = detail::name_position<Name, Owned...>();
    if constexpr (o >= 0)
      return element_adjoints[o];
    else
      return vector_adjoints<Name, Direct>(offset)[i];
  }
  // The owned adjoints of element i, to the workspace (a gradient pass only).
  STATIX_HD void end_element(int i) {
    (void(adjoint_bases[detail::name_position<Owned, Names...>()][i] =
              element_adjoints[detail::name_position<Owned, Owned...>()]),
     ...);
    (void)i;
  }

  STATIX_HD void flush() {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((targets[K] != nullptr ? void(*targets[K] += sums[K]) : void()), ...);
    }
    (std::make_index_sequence<count>{});
  }
};

} // namespace statix
