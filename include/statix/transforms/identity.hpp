#pragma once

#include "statix/base/macros.hpp"
#include "statix/transforms/transform_partials.hpp"

namespace statix::transforms {

// Unbounded support: y = x, log|J| = 0.
struct identity {
  template <class T>
  STATIX_HD static T constrain(const T& x, T& log_jacobian) {
    log_jacobian = T(0.0);
    return x;
  }
  template <class T>
  STATIX_HD static constrain_partials<T> partials(const T& x) {
    return {x, T(0.0), T(1.0), T(0.0), T(0.0), T(0.0), T(0.0), T(0.0)};
  }
  static double free(double y) { return y; }
  static bool in_support(double y) { return y == y; }
};

} // namespace statix::transforms
