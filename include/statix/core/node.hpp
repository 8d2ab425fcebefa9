#pragma once

#include <type_traits>

namespace statix {

// Every expression node derives from node_tag; its interface, used by the
// variables and the model:
//   static constexpr int rank;          0 scalar, 1 vector, 2 matrix (column-major;
//                                       rows() and cols(), see shape.hpp)
//   static constexpr bool varies;       depends on a parameter (else: data only)
//   using refs = name_list<...>;        the variables it reads
//   int size() const;                   1 for scalars
//   void bind(slot_layout&);            fixes workspace offsets (model build)
//   forward(ctx), backward(ctx)         non-elementwise nodes compute / push
//                                       back their stored result; others recurse
//   value(ctx, i)                       element i (scalars ignore i)
//   backprop(ctx, i, adj)               adds adj * d(element i) to what it reads
struct node_tag {};
struct variable_tag {};

template <class T>
inline constexpr bool is_node_v = std::is_base_of_v<node_tag, std::remove_cvref_t<T>>;
template <class T>
inline constexpr bool is_variable_v = std::is_base_of_v<variable_tag, std::remove_cvref_t<T>>;

template <class A, class B>
inline constexpr int broadcast_rank = (A::rank > B::rank) ? A::rank : B::rank;

template <class...>
inline constexpr bool dependent_false = false;

} // namespace statix
