#pragma once

#include "statix/base/macros.hpp"
#include "statix/base/shape.hpp"

namespace statix {

namespace detail {
// Rows and columns of any node: a vector is a column, a scalar 1 x 1.
template <class N>
STATIX_HD int rows_of(const N& n) {
  if constexpr (N::rank == 2)
    return n.rows();
  else
    return n.size();
}
template <class N>
STATIX_HD int cols_of(const N& n) {
  if constexpr (N::rank == 2)
    return n.cols();
  else
    return 1;
}
template <class N>
shape shape_of(const N& n) {
  return {rows_of(n), cols_of(n)};
}
} // namespace detail

} // namespace statix
