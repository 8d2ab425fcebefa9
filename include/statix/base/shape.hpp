#pragma once

#include "statix/base/macros.hpp"

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

} // namespace statix
