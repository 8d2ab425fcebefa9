#pragma once

#include <cmath>
#include <string>

#include "statix/base/macros.hpp"
#include "statix/math/functions.hpp"
#include "statix/transforms/structured_common.hpp"

namespace statix::transforms {

// The Cholesky factor of a K x K covariance matrix (lower triangular, positive
// diagonal) from K (K + 1) / 2 free values in Stan's order
// (cholesky_factor_constrain with M = N = K: row by row, left to right, the
// diagonal last in its row): L(m, n) = x for n < m, L(m, m) = exp(x).
// log|J| = the sum of the diagonal's free values.
struct cholesky_cov {
  static constexpr const char* name = "cholesky_cov";

  static int unconstrained_size(int K) { return K * (K + 1) / 2; }
  static int constrained_size(int K) { return K * K; }
  static int scratch_size(int) { return 0; }

  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T*) {
    T log_jacobian(0.0);
    int position = 0;
    for (int m = 0; m < K; ++m) {
      for (int n = 0; n < m; ++n) {
        detail::element(K, y, m, n) = x[position++];
      }
      log_jacobian += x[position];
      detail::element(K, y, m, m) = math::exp(x[position++]);
      for (int n = m + 1; n < K; ++n) {
        detail::element(K, y, m, n) = T(0.0);
      }
    }
    return log_jacobian;
  }

  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T*, const T* y, const T* y_adj, T logj_adj,
                                          T* x_adj, T*) {
    int position = 0;
    for (int m = 0; m < K; ++m) {
      for (int n = 0; n < m; ++n) {
        x_adj[position++] = detail::element(K, y_adj, m, n);
      }
      x_adj[position++] = detail::element(K, y, m, m) * detail::element(K, y_adj, m, m) + logj_adj;
    }
  }

  static void free(int K, const double* y, double* x, const std::string& variable) {
    detail::check_finite_matrix(K, y, variable, name);
    int position = 0;
    for (int m = 0; m < K; ++m) {
      for (int n = m + 1; n < K; ++n) {
        if (detail::entry(K, y, m, n) != 0.0) {
          detail::throw_not_in_support(variable, name,
                                       "not lower triangular: element (" + std::to_string(m) +
                                           ", " + std::to_string(n) + ") is " +
                                           detail::format_number(detail::entry(K, y, m, n)));
        }
      }
      if (!(detail::entry(K, y, m, m) > 0.0)) {
        detail::throw_not_in_support(variable, name,
                                     "diagonal element " + std::to_string(m) + " is " +
                                         detail::format_number(detail::entry(K, y, m, m)) +
                                         ", not positive");
      }
      for (int n = 0; n < m; ++n) {
        x[position++] = detail::entry(K, y, m, n);
      }
      x[position++] = std::log(detail::entry(K, y, m, m));
    }
  }
};

} // namespace statix::transforms
