#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Uniform on the integers lower, ..., upper (Stan's discrete_range):
//   log p(y) = -log(upper - lower + 1) inside, -inf outside.
// The bounds may be negative, so they are real-domain parameters that must
// hold integers (a non-integer bound gives -inf); the value is piecewise
// constant in them, so their partials are 0.
struct discrete_range {
  static constexpr const char* family_name = "discrete_range";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::parameter_bounds;
  static constexpr std::array<const char*, 2> param_names = {"lower", "upper"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::real};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& lower, const T& upper, T* d) {
    constexpr unsigned LOWER = 2u, UPPER = 4u;
    const double lo = detail::value(lower), hi = detail::value(upper);
    if (!math::is_finite(lo) || !math::is_finite(hi) || lo != math::floor(lo) ||
        hi != math::floor(hi) || !(lo <= hi) || double(y) < lo || double(y) > hi)
      return detail::reject<(Varying & (LOWER | UPPER)), Grad>(d);
    detail::zero_partials<(Varying & (LOWER | UPPER)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, LOWER | UPPER>)
      return T(0.0);
    else
      return T(-math::log(hi - lo + 1.0));
  }

  static double cdf(int y, double lower, double upper) {
    if (double(y) < lower) return 0.0;
    if (double(y) >= upper) return 1.0;
    return (double(y) - lower + 1.0) / (upper - lower + 1.0);
  }
  static double lcdf(int y, double lower, double upper) { return math::log(cdf(y, lower, upper)); }
  static double lccdf(int y, double lower, double upper) {
    if (double(y) < lower) return 0.0;
    if (double(y) >= upper) return math::negative_infinity<double>();
    return math::log((upper - double(y)) / (upper - lower + 1.0));
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, double lower, double upper) {
    const double width = upper - lower + 1.0;
    const int k = int(math::floor(random::uniform01(g) * width));
    return int(lower) + (k < width ? k : int(width) - 1);
  }
};

} // namespace statix::dist
