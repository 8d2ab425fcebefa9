#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "statix/base/macros.hpp"
#include "statix/math/functions.hpp"
#include "statix/transforms/structured_common.hpp"

namespace statix::transforms {

namespace detail {

// sech(x) = 2 e^-|x| / (1 + e^-2|x|) and log(1 - tanh(x)^2) = 2 log sech(x)
// = 2 (log 2 - |x| - log1p(e^-2|x|)), with no overflow or cancellation for
// large |x|. -|x| is taken as -x or x by the sign of the value, not through
// fabs: each branch is an identity for every x, so derivatives of every order
// (nested duals) are right at x = 0 too.
template <class T>
STATIX_HD void sech_and_log_sech_squared(const T& x, T& sech, T& log_sech_squared) {
  const T minus_abs_x = x > 0 ? T(-x) : x;
  const T e = math::exp(minus_abs_x);
  const T e_squared = e * e;
  sech = T(2.0) * e / (T(1.0) + e_squared);
  log_sech_squared = T(2.0) * (math::log_two + minus_abs_x - math::log1p(e_squared));
}

// The Cholesky factor L of a correlation matrix from canonical partial
// correlations z = tanh(x) (Lewandowski, Kurowicka and Joe 2009; Stan's
// cholesky_corr_constrain and read_corr_L): row i of L is
//   L(i, j) = z_ij q_ij for j < i,  L(i, i) = q_ii,
// where q_i0 = 1 and q_i(j+1) = q_ij sech(x_ij) is the length left in the row
// (sqrt(1 - sum_{l < j} L(i, l)^2), carried as a product so that partial
// correlations near +-1 cause no cancellation).
//
// index(i, j) is where x_ij sits in x (Stan orders cholesky_corr by rows and
// corr_matrix by columns); weight(i, j) is the factor of log(1 - z_ij^2) in
// log|J|, which differs between the two. Returns log|J|.
template <class T, class Index, class Weight>
STATIX_HD T cpc_cholesky_constrain(int K, const T* x, T* L, Index index, Weight weight) {
  for (int column = 0; column < K; ++column) {
    for (int row = 0; row < column; ++row) {
      element(K, L, row, column) = T(0.0);
    }
  }
  if (K <= 0) {
    return T(0.0);
  }
  element(K, L, 0, 0) = T(1.0);
  T log_jacobian(0.0);
  for (int i = 1; i < K; ++i) {
    T length(1.0);
    for (int j = 0; j < i; ++j) {
      const T& xij = x[index(i, j)];
      T sech, log_sech_squared;
      sech_and_log_sech_squared(xij, sech, log_sech_squared);
      element(K, L, i, j) = math::tanh(xij) * length;
      length = length * sech;
      log_jacobian += weight(i, j) * log_sech_squared;
    }
    element(K, L, i, i) = length;
  }
  return log_jacobian;
}

// x_adj := J^T L_adj + logj_adj d log|J| / dx for the map above, with
// d log(1 - tanh(x)^2) / dx = -2 tanh(x). Reverse sweep of each row: with
// q_adj the adjoint of q_i(j+1),
//   x_adj_ij = q_i(j+1) (sech(x_ij) L_adj(i, j) - z_ij q_adj),
//   q_adj <- z_ij L_adj(i, j) + sech(x_ij) q_adj.
// scratch: 3K values (the row's z, sech and q).
template <class T, class Index, class Weight>
STATIX_HD void cpc_cholesky_adjoint(int K, const T* x, const T* L_adj, T logj_adj, T* x_adj,
                                    T* scratch, Index index, Weight weight) {
  T* z = scratch;
  T* sech = scratch + K;
  T* length_after = scratch + 2 * K; // q_i(j+1)
  for (int i = 1; i < K; ++i) {
    T length(1.0);
    for (int j = 0; j < i; ++j) {
      const T& xij = x[index(i, j)];
      T log_sech_squared;
      z[j] = math::tanh(xij);
      sech_and_log_sech_squared(xij, sech[j], log_sech_squared);
      length = length * sech[j];
      length_after[j] = length;
    }
    T length_adj = element(K, L_adj, i, i);
    for (int j = i - 1; j >= 0; --j) {
      const T& entry_adj = element(K, L_adj, i, j);
      x_adj[index(i, j)] = length_after[j] * (sech[j] * entry_adj - z[j] * length_adj) -
                           logj_adj * T(2.0) * weight(i, j) * z[j];
      length_adj = z[j] * entry_adj + sech[j] * length_adj;
    }
  }
}

// The free values of the Cholesky factor L of a correlation matrix (rows of
// unit length): x_ij = atanh(z_ij) with z_ij = L(i, j) / r_ij and
// r_ij^2 = sum_{l >= j} L(i, l)^2 the row's length left. Written as
// sign(z) (log1p(|z|) - log(r_i(j+1) / r_ij)), since 1 - z^2 = (r_i(j+1) / r_ij)^2,
// so that z near +-1 loses no digits.
template <class Index>
inline void cpc_cholesky_free(int K, const double* L, double* x, Index index) {
  for (int i = 1; i < K; ++i) {
    // Suffix sums of squares, from the diagonal back to column 0.
    double tail = element(K, L, i, i) * element(K, L, i, i);
    for (int j = i - 1; j >= 0; --j) {
      const double value = element(K, L, i, j);
      const double tail_before = tail + value * value;
      const double z = value / std::sqrt(tail_before);
      const double atanh_abs = std::log1p(std::fabs(z)) - 0.5 * std::log(tail / tail_before);
      x[index(i, j)] = z < 0 ? -atanh_abs : atanh_abs;
      tail = tail_before;
    }
  }
}

// Stan's cholesky_corr order: row by row, x_ij at i (i - 1) / 2 + j.
struct cpc_row_major_index {
  STATIX_HD int operator()(int i, int j) const { return i * (i - 1) / 2 + j; }
};

} // namespace detail

// The Cholesky factor of a K x K correlation matrix (lower triangular,
// positive diagonal, rows of unit length) from K (K - 1) / 2 free values in
// Stan's order (cholesky_corr_constrain: row by row, left to right).
// log|J| is that of x -> the strictly lower triangle of L:
//   sum_ij log(1 - z_ij^2) + 1/2 sum_{i, 0 < j < i} log(1 - sum_{l < j} L(i, l)^2),
// i.e. log(1 - z_ij^2) with weight (i + 1 - j) / 2.
struct cholesky_corr {
  static constexpr const char* name = "cholesky_corr";

  static int unconstrained_size(int K) { return K * (K - 1) / 2; }
  static int constrained_size(int K) { return K * K; }
  static int scratch_size(int K) { return 3 * K; }

  struct weight {
    STATIX_HD double operator()(int i, int j) const { return 0.5 * (i + 1 - j); }
  };

  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T*) {
    return detail::cpc_cholesky_constrain(K, x, y, detail::cpc_row_major_index{}, weight{});
  }

  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T* x, const T*, const T* y_adj, T logj_adj,
                                          T* x_adj, T* scratch) {
    detail::cpc_cholesky_adjoint(K, x, y_adj, logj_adj, x_adj, scratch,
                                 detail::cpc_row_major_index{}, weight{});
  }

  static void free(int K, const double* y, double* x, const std::string& variable) {
    detail::check_finite_matrix(K, y, variable, name);
    for (int i = 0; i < K; ++i) {
      for (int j = i + 1; j < K; ++j) {
        if (detail::entry(K, y, i, j) != 0.0) {
          detail::throw_not_in_support(variable, name,
                                       "not lower triangular: element (" + std::to_string(i) +
                                           ", " + std::to_string(j) + ") is " +
                                           detail::format_number(detail::entry(K, y, i, j)));
        }
      }
      if (!(detail::entry(K, y, i, i) > 0.0)) {
        detail::throw_not_in_support(variable, name,
                                     "diagonal element " + std::to_string(i) + " is " +
                                         detail::format_number(detail::entry(K, y, i, i)) +
                                         ", not positive");
      }
      double squared_norm = 0.0;
      for (int j = 0; j <= i; ++j) {
        squared_norm += detail::entry(K, y, i, j) * detail::entry(K, y, i, j);
      }
      if (!(std::fabs(squared_norm - 1.0) <= detail::constraint_tolerance)) {
        detail::throw_not_in_support(variable, name,
                                     "row " + std::to_string(i) + " has squared length " +
                                         detail::format_number(squared_norm) +
                                         ", not 1 (tolerance 1e-8)");
      }
    }
    detail::cpc_cholesky_free(K, y, x, detail::cpc_row_major_index{});
  }
};

} // namespace statix::transforms
