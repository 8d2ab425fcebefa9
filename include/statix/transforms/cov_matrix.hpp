#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "statix/base/macros.hpp"
#include "statix/math/functions.hpp"
#include "statix/transforms/cholesky_cov.hpp"
#include "statix/transforms/structured_common.hpp"

namespace statix::transforms {

// A K x K covariance matrix (symmetric positive definite) from K (K + 1) / 2
// free values, as Stan's cov_matrix_constrain: L as in cholesky_cov (row by
// row, exp on the diagonal), then Sigma = L L^T. log|J| is that of x -> the
// lower triangle of Sigma:
//   K log 2 + sum_m (K - m + 1) log L(m, m)   (m from 0).
struct cov_matrix {
  static constexpr const char* name = "cov_matrix";

  static int unconstrained_size(int K) { return K * (K + 1) / 2; }
  static int constrained_size(int K) { return K * K; }
  static int scratch_size(int K) { return K * K; } // L

  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T* scratch) {
    T* L = scratch;
    cholesky_cov::constrain(K, x, L, static_cast<T*>(nullptr));
    T log_jacobian(K * math::log_two);
    int position = 0;
    for (int m = 0; m < K; ++m) {
      position += m;
      log_jacobian += static_cast<double>(K - m + 1) * x[position++];
    }
    for (int b = 0; b < K; ++b) {
      for (int a = b; a < K; ++a) {
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

  // Sigma = L L^T gives L_adj = (Y + Y^T) L on the lower triangle; the
  // diagonal's free value also gets L(m, m) (chain rule of exp) and the
  // Jacobian's K - m + 1.
  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T* x, const T*, const T* y_adj, T logj_adj,
                                          T* x_adj, T* scratch) {
    T* L = scratch;
    cholesky_cov::constrain(K, x, L, static_cast<T*>(nullptr));
    int position = 0;
    for (int m = 0; m < K; ++m) {
      for (int n = 0; n <= m; ++n) {
        T sum(0.0);
        for (int l = n; l < K; ++l) {
          sum += (detail::element(K, y_adj, m, l) + detail::element(K, y_adj, l, m)) *
                 detail::element(K, L, l, n);
        }
        if (n < m) {
          x_adj[position++] = sum;
        } else {
          x_adj[position++] =
              detail::element(K, L, m, m) * sum + logj_adj * static_cast<double>(K - m + 1);
        }
      }
    }
  }

  // x: the free values of the Cholesky factor of y (Stan's cov_matrix_free).
  static void free(int K, const double* y, double* x, const std::string& variable) {
    detail::check_finite_matrix(K, y, variable, name);
    detail::check_symmetric(K, y, variable, name);
    const std::vector<double> L = detail::cholesky_lower(K, y, variable, name);
    cholesky_cov::free(K, L.data(), x, variable);
  }
};

} // namespace statix::transforms
