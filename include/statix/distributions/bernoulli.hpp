#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Bernoulli(theta) on {0, 1}: log p(1) = log theta, log p(0) = log1m(theta).
struct bernoulli {
  static constexpr const char* family_name = "bernoulli";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::binary;
  static constexpr std::array<const char*, 1> param_names = {"theta"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::unit_interval_closed};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& theta, T* d) {
    constexpr unsigned THETA = 2u;
    if ((y != 0 && y != 1) || !detail::is_probability(theta))
      return detail::reject<Varying & THETA, Grad>(d);
    if constexpr (!include_summand<Propto, Varying, THETA>) {
      return T(0.0);
    } else {
      const double theta_value = detail::value(theta);
      if ((y == 1 && theta_value == 0.0) || (y == 0 && theta_value == 1.0))
        return detail::reject<Varying & THETA, Grad>(d);
      if (y == 1) {
        if constexpr (Grad && varies<Varying, 1>) d[1] = math::inv(theta);
        return math::log(theta);
      }
      if constexpr (Grad && varies<Varying, 1>) d[1] = -math::inv(1.0 - theta);
      return math::log1m(theta);
    }
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, double theta) {
    return random::bernoulli(g, theta);
  }
};

} // namespace statix::dist
