#pragma once

#include <cmath>
#include <string>

#include "statix/base/macros.hpp"
#include "statix/math/functions.hpp"
#include "statix/transforms/structured_common.hpp"

namespace statix::transforms {

// A strictly increasing vector (Stan's ordered_constrain):
// y_0 = x_0, y_k = y_{k-1} + exp(x_k); log|J| = sum_{k >= 1} x_k.
struct ordered {
  static constexpr const char* name = "ordered";

  static int unconstrained_size(int K) { return K; }
  static int constrained_size(int K) { return K; }
  static int scratch_size(int) { return 0; }

  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T*) {
    if (K <= 0) {
      return T(0.0);
    }
    T log_jacobian(0.0);
    y[0] = x[0];
    for (int k = 1; k < K; ++k) {
      y[k] = y[k - 1] + math::exp(x[k]);
      log_jacobian += x[k];
    }
    return log_jacobian;
  }

  // dy_j/dx_0 = 1 and dy_j/dx_k = exp(x_k) for 1 <= k <= j: x_k collects the
  // adjoints of y_k, ..., y_{K-1} (a suffix sum).
  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T* x, const T*, const T* y_adj, T logj_adj,
                                          T* x_adj, T*) {
    T suffix(0.0);
    for (int k = K - 1; k >= 1; --k) {
      suffix += y_adj[k];
      x_adj[k] = math::exp(x[k]) * suffix + logj_adj;
    }
    if (K > 0) {
      x_adj[0] = suffix + y_adj[0];
    }
  }

  // x_0 = y_0, x_k = log(y_k - y_{k-1}).
  static void free(int K, const double* y, double* x, const std::string& variable) {
    for (int k = 0; k < K; ++k) {
      if (!std::isfinite(y[k])) {
        detail::throw_not_in_support(variable, name,
                                     "element " + std::to_string(k) + " is " +
                                         detail::format_number(y[k]) + ", not finite");
      }
      if (k > 0 && !(y[k] > y[k - 1])) {
        detail::throw_not_in_support(variable, name,
                                     "not ordered at index " + std::to_string(k) + ": element " +
                                         std::to_string(k) + " is " + detail::format_number(y[k]) +
                                         ", not greater than " + detail::format_number(y[k - 1]));
      }
    }
    if (K > 0) {
      x[0] = y[0];
    }
    for (int k = 1; k < K; ++k) {
      x[k] = std::log(y[k] - y[k - 1]);
    }
  }
};

} // namespace statix::transforms
