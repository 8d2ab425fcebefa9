#pragma once

#include "statix/math/functions.hpp"
#include "statix/transforms/transform_partials.hpp"

#include <cmath>

namespace statix::transforms {

// y = lower + (upper - lower) inv_logit(x) on (lower, upper);
// log|J| = log(upper - lower) + log inv_logit(x) + log(1 - inv_logit(x)).
struct interval {
  template <class T, class L, class U>
  STATIX_HD static T constrain(const T& x, const L& lower, const U& upper, T& log_jacobian) {
    const auto width = upper - lower;
    log_jacobian = math::log(width) + math::log_inv_logit(x) + math::log1m_inv_logit(x);
    return lower + width * math::inv_logit(x);
  }
  template <class T, class L, class U>
  STATIX_HD static constrain_partials<T> partials(const T& x, const L& lower, const U& upper) {
    const T width = upper - lower;
    const T s = math::inv_logit(x);
    const T one_minus_s = math::inv_logit(-x);
    const T inv_width = 1.0 / width;
    return {T(lower + width * s),
            T(math::log(width) + math::log_inv_logit(x) + math::log1m_inv_logit(x)),
            T(width * s * one_minus_s),
            one_minus_s,
            s,
            T(one_minus_s - s),
            T(-inv_width),
            inv_width};
  }
  static double free(double y, double lower, double upper) {
    const double u = (y - lower) / (upper - lower);
    return std::log(u) - std::log1p(-u);
  }
  static bool in_support(double y, double lower, double upper) { return y > lower && y < upper; }
};

} // namespace statix::transforms
