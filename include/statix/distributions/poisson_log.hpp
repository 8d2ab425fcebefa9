#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Poisson with log rate alpha, on {0, 1, ...}:
//   log p(y) = y alpha - exp(alpha) - lgamma(y + 1),
// the full value in Loader's saddle-point form for y >= 10. Where exp(alpha)
// overflows the true value is below -1.8e308 and -inf is returned;
// alpha = -inf puts all mass on y = 0.
struct poisson_log {
  static constexpr const char* family_name = "poisson_log";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::nonnegative_int;
  static constexpr std::array<const char*, 1> param_names = {"alpha"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::real};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& alpha, T* d) {
    constexpr unsigned ALPHA = 2u;
    const double alpha_value = detail::value(alpha);
    if (y < 0 || math::is_nan(alpha_value) || alpha_value == math::infinity<double>())
      return detail::reject<Varying & ALPHA, Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALPHA>) {
      return T(0.0);
    } else {
      if (alpha_value == math::negative_infinity<double>()) {
        if (y > 0) return detail::reject<Varying & ALPHA, Grad>(d);
        if constexpr (Grad && varies<Varying, 1>) d[1] = T(0.0);
        return T(0.0);
      }
      const double yd = y;
      const T lambda = math::exp(alpha);
      T lp(0.0);
      if (y == 0) {
        lp = -lambda;
      } else if constexpr (include_summand<Propto, Varying, 0u>) {
        if (y >= 10)
          lp = detail::poisson_saddle_point(y, lambda, alpha);
        else
          lp = yd * alpha - lambda - math::lgamma(yd + 1.0);
      } else {
        lp = yd * alpha - lambda;
      }
      if (!(detail::value(lp) > math::negative_infinity<double>()))
        return detail::reject<Varying & ALPHA, Grad>(d);
      if constexpr (Grad && varies<Varying, 1>) d[1] = yd - lambda;
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, double alpha) {
    return random::poisson(g, math::exp(alpha));
  }
};

} // namespace statix::dist
