#pragma once

#include <cmath>
#include <string>

#include "statix/base/macros.hpp"
#include "statix/math/functions.hpp"
#include "statix/transforms/structured_common.hpp"

namespace statix::transforms {

// A strictly increasing vector of positive numbers (Stan's
// positive_ordered_constrain): y_0 = exp(x_0), y_k = y_{k-1} + exp(x_k);
// log|J| = sum_k x_k.
struct positive_ordered {
  static constexpr const char* name = "positive_ordered";

  static int unconstrained_size(int K) { return K; }
  static int constrained_size(int K) { return K; }
  static int scratch_size(int) { return 0; }

  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T*) {
    if (K <= 0) {
      return T(0.0);
    }
    T log_jacobian = x[0];
    y[0] = math::exp(x[0]);
    for (int k = 1; k < K; ++k) {
      y[k] = y[k - 1] + math::exp(x[k]);
      log_jacobian += x[k];
    }
    return log_jacobian;
  }

  // dy_j/dx_k = exp(x_k) for k <= j: x_k collects the adjoints of y_k, ...,
  // y_{K-1} (a suffix sum).
  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T* x, const T*, const T* y_adj, T logj_adj,
                                          T* x_adj, T*) {
    T suffix(0.0);
    for (int k = K - 1; k >= 0; --k) {
      suffix += y_adj[k];
      x_adj[k] = math::exp(x[k]) * suffix + logj_adj;
    }
  }

  // x_0 = log(y_0), x_k = log(y_k - y_{k-1}).
  static void free(int K, const double* y, double* x, const std::string& variable) {
    for (int k = 0; k < K; ++k) {
      if (!std::isfinite(y[k])) {
        detail::throw_not_in_support(variable, name,
                                     "element " + std::to_string(k) + " is " +
                                         detail::format_number(y[k]) + ", not finite");
      }
    }
    if (K > 0 && !(y[0] > 0.0)) {
      detail::throw_not_in_support(
          variable, name, "element 0 is " + detail::format_number(y[0]) + ", not positive");
    }
    for (int k = 1; k < K; ++k) {
      if (!(y[k] > y[k - 1])) {
        detail::throw_not_in_support(variable, name,
                                     "not ordered at index " + std::to_string(k) + ": element " +
                                         std::to_string(k) + " is " + detail::format_number(y[k]) +
                                         ", not greater than " + detail::format_number(y[k - 1]));
      }
    }
    if (K > 0) {
      x[0] = std::log(y[0]);
    }
    for (int k = 1; k < K; ++k) {
      x[k] = std::log(y[k] - y[k - 1]);
    }
  }
};

} // namespace statix::transforms
