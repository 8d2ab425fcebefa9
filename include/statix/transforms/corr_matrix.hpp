#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "statix/base/macros.hpp"
#include "statix/math/functions.hpp"
#include "statix/transforms/cholesky_corr.hpp"
#include "statix/transforms/structured_common.hpp"

namespace statix::transforms {

// A K x K correlation matrix (symmetric positive definite, unit diagonal)
// from K (K - 1) / 2 free values, as Stan's corr_matrix_constrain: canonical
// partial correlations z = tanh(x), in Stan's order for this transform
// (read_corr_L: column by column, top to bottom, which differs from
// cholesky_corr's), give L as in cholesky_corr, then Omega = L L^T (its
// diagonal set to exactly 1). log|J| is that of x -> the strictly lower
// triangle of Omega, tanh's Jacobian and the LKJ one (their eq. 11):
//   sum_ij log(1 - z_ij^2) + 1/2 sum_ij (K - j - 2) log(1 - z_ij^2)   (j from 0),
// i.e. log(1 - z_ij^2) with weight (K - j) / 2.
struct corr_matrix {
  static constexpr const char* name = "corr_matrix";

  static int unconstrained_size(int K) { return K * (K - 1) / 2; }
  static int constrained_size(int K) { return K * K; }
  // L, then for the adjoint L's adjoint and a row's worth of cholesky_corr's.
  static int scratch_size(int K) { return 2 * K * K + 3 * K; }

  // Where x_ij (row i > column j) sits: columns one after the other.
  struct column_major_index {
    int K;
    STATIX_HD int operator()(int i, int j) const {
      return j * (K - 1) - j * (j - 1) / 2 + i - j - 1;
    }
  };
  struct weight {
    int K;
    STATIX_HD double operator()(int, int j) const { return 0.5 * (K - j); }
  };

  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T* scratch) {
    T* L = scratch;
    const T log_jacobian =
        detail::cpc_cholesky_constrain(K, x, L, column_major_index{K}, weight{K});
    for (int b = 0; b < K; ++b) {
      detail::element(K, y, b, b) = T(1.0);
      for (int a = b + 1; a < K; ++a) {
        T sum(0.0);
        for (int n = 0; n <= b; ++n) {
          sum += detail::element(K, L, a, n) * detail::element(K, L, b, n);
        }
        detail::element(K, y, a, b) = sum;
        detail::element(K, y, b, a) = sum;
      }
    }
    return log_jacobian;
  }

  // Omega = L L^T off the diagonal (the diagonal is constant) gives
  // L_adj = (Y + Y^T - 2 diag(Y)) L on the lower triangle, then cholesky_corr's
  // reverse sweep.
  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T* x, const T*, const T* y_adj, T logj_adj,
                                          T* x_adj, T* scratch) {
    T* L = scratch;
    T* L_adj = scratch + K * K;
    detail::cpc_cholesky_constrain(K, x, L, column_major_index{K}, weight{K});
    for (int m = 0; m < K; ++m) {
      for (int n = 0; n <= m; ++n) {
        T sum(0.0);
        for (int l = n; l < K; ++l) {
          if (l != m) {
            sum += (detail::element(K, y_adj, m, l) + detail::element(K, y_adj, l, m)) *
                   detail::element(K, L, l, n);
          }
        }
        detail::element(K, L_adj, m, n) = sum;
      }
    }
    detail::cpc_cholesky_adjoint(K, x, static_cast<const T*>(L_adj), logj_adj, x_adj,
                                 scratch + 2 * K * K, column_major_index{K}, weight{K});
  }

  // The partial correlations of y's Cholesky factor (Stan's corr_matrix_free).
  static void free(int K, const double* y, double* x, const std::string& variable) {
    detail::check_finite_matrix(K, y, variable, name);
    for (int i = 0; i < K; ++i) {
      const double diagonal = detail::entry(K, y, i, i);
      if (!(std::fabs(diagonal - 1.0) <= detail::constraint_tolerance)) {
        detail::throw_not_in_support(variable, name,
                                     "diagonal not 1: element (" + std::to_string(i) + ", " +
                                         std::to_string(i) + ") is " +
                                         detail::format_number(diagonal) + " (tolerance 1e-8)");
      }
    }
    detail::check_symmetric(K, y, variable, name);
    const std::vector<double> L = detail::cholesky_lower(K, y, variable, name);
    detail::cpc_cholesky_free(K, L.data(), x, column_major_index{K});
  }
};

} // namespace statix::transforms
