#pragma once

#include "statix/math/functions.hpp"
#include "statix/transforms/transform_partials.hpp"

#include <cmath>

namespace statix::transforms {

// A bound of 0 known at compile time (the lower bound of every positive
// parameter): y = exp(x), and exp(x) is y itself in the backward pass.
struct zero {};

// y = lower + exp(x) on (lower, inf); log|J| = x.
struct lower_bound {
  template <class T>
  STATIX_HD static T constrain(const T& x, zero, T& log_jacobian) {
    log_jacobian = x;
    return math::exp(x);
  }
  template <class T>
  STATIX_HD static constrain_partials<T> partials(const T& x, const T& y, zero) {
    return {y, x, y, T(1.0), T(0.0), T(1.0), T(0.0), T(0.0)};
  }
  template <class T, class L>
  STATIX_HD static T constrain(const T& x, const L& lower, T& log_jacobian) {
    log_jacobian = x;
    return lower + math::exp(x);
  }
  template <class T, class L>
  STATIX_HD static constrain_partials<T> partials(const T& x, const L& lower) {
    const T e = math::exp(x);
    return {T(lower + e), x, e, T(1.0), T(0.0), T(1.0), T(0.0), T(0.0)};
  }
  // The same given y = constrain(x): with lower = 0 (every positive
  // parameter), exp(x) is y itself; otherwise y - lower would lose digits.
  template <class T, class L>
  STATIX_HD static constrain_partials<T> partials(const T& x, const T& y, const L& lower) {
    const T e = math::value_of(lower) == 0.0 ? y : T(math::exp(x));
    return {y, x, e, T(1.0), T(0.0), T(1.0), T(0.0), T(0.0)};
  }
  static double free(double y, double lower) { return std::log(y - lower); }
  static bool in_support(double y, double lower) { return y > lower && y < INFINITY; }
};

// y = upper - exp(x) on (-inf, upper); log|J| = x.
struct upper_bound {
  template <class T, class U>
  STATIX_HD static T constrain(const T& x, const U& upper, T& log_jacobian) {
    log_jacobian = x;
    return upper - math::exp(x);
  }
  template <class T, class U>
  STATIX_HD static constrain_partials<T> partials(const T& x, const U& upper) {
    const T e = math::exp(x);
    return {T(upper - e), x, T(-e), T(0.0), T(1.0), T(1.0), T(0.0), T(0.0)};
  }
  template <class T, class U>
  STATIX_HD static constrain_partials<T> partials(const T& x, const T& y, const U& upper) {
    const T e = math::value_of(upper) == 0.0 ? T(-y) : T(math::exp(x));
    return {y, x, T(-e), T(0.0), T(1.0), T(1.0), T(0.0), T(0.0)};
  }
  static double free(double y, double upper) { return std::log(upper - y); }
  static bool in_support(double y, double upper) { return y < upper && y > -INFINITY; }
};

} // namespace statix::transforms
