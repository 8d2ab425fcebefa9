#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Uniform on [lower, upper]: log p(y) = -log(upper - lower) inside, -inf outside.
struct uniform {
  static constexpr const char* family_name = "uniform";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::parameter_bounds;
  static constexpr std::array<const char*, 2> param_names = {"lower", "upper"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::real};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& lower, const T& upper, T* d) {
    constexpr unsigned Y = 1u, LOWER = 2u, UPPER = 4u;
    const double lo = detail::value(lower), hi = detail::value(upper), y_value = detail::value(y);
    if (!math::is_finite(lo) || !math::is_finite(hi) || !(lo < hi) || !(y_value >= lo) ||
        !(y_value <= hi))
      return detail::reject<(Varying & (Y | LOWER | UPPER)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | LOWER | UPPER>) {
      return T(0.0);
    } else {
      T lp(0.0);
      const T width = upper - lower;
      if constexpr (include_summand<Propto, Varying, LOWER | UPPER>) lp = -math::log(width);
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0>) d[0] = T(0.0);
        if constexpr (varies<Varying, 1> || varies<Varying, 2>) {
          const T inv_width = math::inv(width);
          if constexpr (varies<Varying, 1>) d[1] = inv_width;
          if constexpr (varies<Varying, 2>) d[2] = -inv_width;
        }
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double lower, double upper) {
    return random::uniform(g, lower, upper);
  }
};

} // namespace statix::dist
