#pragma once

#include <cmath>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "statix/base/macros.hpp"

// What the structured transforms share: column-major matrix access, and for
// their free() functions (host only: they run when initial values are read)
// the error thrown for a value outside the constrained set, the checks of
// symmetric matrices and a plain Cholesky decomposition.
namespace statix::transforms::detail {

// Stan's CONSTRAINT_TOLERANCE: how far a sum or a unit diagonal may be off.
inline constexpr double constraint_tolerance = 1e-8;

// std::domain_error("statix: variable \"<variable>\": not a valid <transform>: <what>").
[[noreturn]] inline void throw_not_in_support(const std::string& variable, const char* transform,
                                              const std::string& what) {
  throw std::domain_error("statix: variable \"" + variable + "\": not a valid " + transform + ": " +
                          what);
}

// A number as the messages print it: enough digits to see a 1e-8 difference.
inline std::string format_number(double value) {
  std::ostringstream out;
  out.precision(12);
  out << value;
  return out.str();
}

// Entry (row, column) of a column-major K x K matrix, for the transforms
// (any scalar type) and for free() (entry: double).
template <class T>
STATIX_HD T& element(int K, T* matrix, int row, int column) {
  return matrix[row + static_cast<std::ptrdiff_t>(column) * K];
}
template <class T>
STATIX_HD const T& element(int K, const T* matrix, int row, int column) {
  return matrix[row + static_cast<std::ptrdiff_t>(column) * K];
}
inline double entry(int K, const double* matrix, int row, int column) {
  return matrix[row + static_cast<std::ptrdiff_t>(column) * K];
}

// Every entry finite.
inline void check_finite_matrix(int K, const double* y, const std::string& variable,
                                const char* transform) {
  for (int column = 0; column < K; ++column) {
    for (int row = 0; row < K; ++row) {
      if (!std::isfinite(entry(K, y, row, column))) {
        throw_not_in_support(variable, transform,
                             "element (" + std::to_string(row) + ", " + std::to_string(column) +
                                 ") is " + format_number(entry(K, y, row, column)) +
                                 ", not finite");
      }
    }
  }
}

// |y(i, j) - y(j, i)| <= 1e-8 (Stan's check_symmetric).
inline void check_symmetric(int K, const double* y, const std::string& variable,
                            const char* transform) {
  for (int column = 0; column < K; ++column) {
    for (int row = column + 1; row < K; ++row) {
      const double lower = entry(K, y, row, column);
      const double upper = entry(K, y, column, row);
      if (!(std::fabs(lower - upper) <= constraint_tolerance)) {
        throw_not_in_support(variable, transform,
                             "not symmetric: element (" + std::to_string(row) + ", " +
                                 std::to_string(column) + ") is " + format_number(lower) +
                                 " but element (" + std::to_string(column) + ", " +
                                 std::to_string(row) + ") is " + format_number(upper));
      }
    }
  }
}

// The lower Cholesky factor L (column-major, zeros above the diagonal) of the
// symmetric matrix y, read from its lower triangle; throws when y is not
// positive definite.
inline std::vector<double> cholesky_lower(int K, const double* y, const std::string& variable,
                                          const char* transform) {
  std::vector<double> L(static_cast<std::size_t>(K) * K, 0.0);
  auto at = [K, &L](int row, int column) -> double& {
    return L[row + static_cast<std::size_t>(column) * K];
  };
  for (int j = 0; j < K; ++j) {
    double pivot = entry(K, y, j, j);
    for (int l = 0; l < j; ++l) {
      pivot -= at(j, l) * at(j, l);
    }
    if (!(pivot > 0.0)) {
      throw_not_in_support(variable, transform,
                           "not positive definite (pivot " + std::to_string(j) + " of its " +
                               "Cholesky decomposition is " + format_number(pivot) + ")");
    }
    const double diagonal = std::sqrt(pivot);
    at(j, j) = diagonal;
    for (int i = j + 1; i < K; ++i) {
      double sum = entry(K, y, i, j);
      for (int l = 0; l < j; ++l) {
        sum -= at(i, l) * at(j, l);
      }
      at(i, j) = sum / diagonal;
    }
  }
  return L;
}

} // namespace statix::transforms::detail
