#pragma once

#include "statix/core/macros.hpp"

#include <stdexcept>
#include <string>

namespace statix {

// The shape of a node's value. The rank is part of the node's type (0
// scalar, 1 vector, 2 matrix); rows and columns are known when the model is
// built. A matrix is stored column-major: element i is (i % rows, i / rows),
// so elementwise nodes treat a matrix as its flat array.
struct shape {
  int rows = 1;
  int cols = 1;
  STATIX_HD int size() const { return rows * cols; }
  bool operator==(const shape&) const = default;
};

inline std::string shape_text(const shape& s, int rank) {
  if (rank == 0) return "a scalar";
  if (rank == 1) return "a vector of size " + std::to_string(s.rows);
  return "a " + std::to_string(s.rows) + " x " + std::to_string(s.cols) + " matrix";
}

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
