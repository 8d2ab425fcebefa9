#pragma once

#include "statix/base/macros.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace statix::transforms {

// The unconstrained variate of a multivariate family (multi_normal's vector
// of K reals): y = x, log|J| = 0, in the interface of the structured
// transforms.
struct identity_array {
  static constexpr const char* name = "unconstrained vector";
  static int unconstrained_size(int K) { return K; }
  static int constrained_size(int K) { return K; }
  static int scratch_size(int) { return 0; }
  template <class T>
  STATIX_HD static T constrain(int K, const T* x, T* y, T*) {
    for (int i = 0; i < K; ++i)
      y[i] = x[i];
    return T(0.0);
  }
  template <class T>
  STATIX_HD static void constrain_adjoint(int K, const T*, const T*, const T* y_adj, T, T* x_adj,
                                          T*) {
    for (int i = 0; i < K; ++i)
      x_adj[i] = y_adj[i];
  }
  static void free(int K, const double* y, double* x, const std::string& variable) {
    for (int i = 0; i < K; ++i) {
      if (!std::isfinite(y[i]))
        throw std::domain_error("statix: variable \"" + variable + "\": value at index " +
                                std::to_string(i) + " is not finite");
      x[i] = y[i];
    }
  }
};

} // namespace statix::transforms
