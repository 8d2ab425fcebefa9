#pragma once

#include <stdexcept>
#include <string>

namespace statix {

// `sx::size(n)`: the variable is a vector of n elements.
struct size_arg {
  int n;
};
inline size_arg size(int n) {
  if (n <= 0)
    throw std::invalid_argument("statix: sx::size(n) needs n > 0, got " + std::to_string(n));
  return {n};
}

// `sx::size(rows, cols)`: the variable is a rows x cols matrix.
struct matrix_size_arg {
  int rows;
  int cols;
};
inline matrix_size_arg size(int rows, int cols) {
  if (rows <= 0 || cols <= 0)
    throw std::invalid_argument("statix: sx::size(rows, cols) needs positive sizes, got " +
                                std::to_string(rows) + " x " + std::to_string(cols));
  return {rows, cols};
}

// `sx::lower(a)`, `sx::upper(b)`: the support of a flat variable; a bound may
// be a number, data or an expression of other variables.
template <class Bound>
struct lower_arg {
  Bound bound;
};
template <class Bound>
struct upper_arg {
  Bound bound;
};
template <class Bound>
lower_arg<Bound> lower(const Bound& b) {
  return {b};
}
template <class Bound>
upper_arg<Bound> upper(const Bound& b) {
  return {b};
}

// The absence of a bound.
struct no_bound {};

} // namespace statix
