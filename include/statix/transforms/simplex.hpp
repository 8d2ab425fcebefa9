#pragma once

#include <cmath>
#include <string>

#include "statix/base/macros.hpp"
#include "statix/math/functions.hpp"
#include "statix/transforms/structured_common.hpp"

namespace statix::transforms {

// A vector of K non-negative numbers that sum to 1, from K - 1 free values by
// Stan's centred stick-breaking (simplex_constrain, Stan 2.21-2.36): with
// a_k = x_k - log(K - 1 - k) and z_k = inv_logit(a_k), y_k = z_k * stick_k of
// what is left of the stick, stick_0 = 1, stick_{k+1} = stick_k (1 - z_k),
// y_{K-1} = stick_{K-1}; x = 0 gives the uniform simplex. log|J| is that of
// x -> (y_0, ..., y_{K-2}):
//   sum_k log(stick_k) + log(z_k) + log(1 - z_k).
// The stick and its log are carried as products of 1 - z_k = inv_logit(-a_k)
// (not as 1 - sum y), so elements near 1 leave no cancellation and elements
// near 0 keep log|J| finite.
struct simplex {
  static constexpr const char* name = "simplex";

  static int unconstrained_size(int K) { return K > 0 ? K - 1 : 0; }
  static int constrained_size(int K) { return K; }
  static int scratch_size(int) { return 0; }

  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T*) {
    if (K <= 0) {
      return T(0.0);
    }
    const int Km1 = K - 1;
    T stick(1.0);
    T log_stick(0.0);
    T log_jacobian(0.0);
    for (int k = 0; k < Km1; ++k) {
      const T a = x[k] - math::log(static_cast<double>(Km1 - k));
      const T log_rest = math::log1m_inv_logit(a); // log(1 - z_k)
      y[k] = stick * math::inv_logit(a);
      log_jacobian += log_stick + math::log_inv_logit(a) + log_rest;
      stick = stick * math::inv_logit(-a);
      log_stick += log_rest;
    }
    y[Km1] = stick;
    return log_jacobian;
  }

  // Reverse sweep of the stick: with stick_adj the adjoint of stick_{k+1},
  //   x_adj_k = y_k (1 - z_k) (y_adj_k - stick_adj),
  //   stick_adj <- z_k y_adj_k + (1 - z_k) stick_adj;
  // and d log|J| / dx_k = 1 - z_k (K - k) (log(1 - z_k) enters the
  // stick's log of every later element).
  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T* x, const T* y, const T* y_adj, T logj_adj,
                                          T* x_adj, T*) {
    if (K <= 0) {
      return;
    }
    const int Km1 = K - 1;
    T stick_adj = y_adj[Km1];
    for (int k = Km1 - 1; k >= 0; --k) {
      const T a = x[k] - math::log(static_cast<double>(Km1 - k));
      const T z = math::inv_logit(a);
      const T rest = math::inv_logit(-a);
      x_adj[k] = y[k] * rest * (y_adj[k] - stick_adj) +
                 logj_adj * (T(1.0) - z * static_cast<double>(K - k));
      stick_adj = z * y_adj[k] + rest * stick_adj;
    }
  }

  // x_k = logit(y_k / stick_k) + log(K - 1 - k), with the stick summed from
  // the end: logit(y_k / stick_k) = log(y_k) - log(stick_{k+1}).
  static void free(int K, const double* y, double* x, const std::string& variable) {
    if (K <= 0) {
      detail::throw_not_in_support(variable, name, "it has no elements");
    }
    double sum = 0.0;
    for (int k = 0; k < K; ++k) {
      if (!std::isfinite(y[k])) {
        detail::throw_not_in_support(variable, name,
                                     "element " + std::to_string(k) + " is " +
                                         detail::format_number(y[k]) + ", not finite");
      }
      if (!(y[k] >= 0.0)) {
        detail::throw_not_in_support(variable, name,
                                     "element " + std::to_string(k) + " is " +
                                         detail::format_number(y[k]) + ", negative");
      }
      sum += y[k];
    }
    if (!(std::fabs(sum - 1.0) <= detail::constraint_tolerance)) {
      detail::throw_not_in_support(
          variable, name, "sum is " + detail::format_number(sum) + ", not 1 (tolerance 1e-8)");
    }
    const int Km1 = K - 1;
    double stick = y[Km1];
    for (int k = Km1 - 1; k >= 0; --k) {
      x[k] = std::log(y[k]) - std::log(stick) + std::log(static_cast<double>(Km1 - k));
      stick += y[k];
    }
  }
};

} // namespace statix::transforms
