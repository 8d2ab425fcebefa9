#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Poisson with rate lambda >= 0, on {0, 1, ...}:
//   log p(y) = y log lambda - lambda - lgamma(y + 1),
// the full value in Loader's saddle-point form for y >= 10 (accurate where the
// three terms nearly cancel). lambda = 0 puts all mass on y = 0.
struct poisson {
  static constexpr const char* family_name = "poisson";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::nonnegative_int;
  static constexpr std::array<const char*, 1> param_names = {"lambda"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::nonnegative};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& lambda, T* d) {
    constexpr unsigned LAMBDA = 2u;
    const double lambda_value = detail::value(lambda);
    if (y < 0 || !(lambda_value >= 0.0) || !math::is_finite(lambda_value))
      return detail::reject<Varying & LAMBDA, Grad>(d);
    if constexpr (!include_summand<Propto, Varying, LAMBDA>) {
      return T(0.0);
    } else {
      if (lambda_value == 0.0 && y > 0) return detail::reject<Varying & LAMBDA, Grad>(d);
      const double yd = y;
      T lp(0.0);
      if (y == 0) {
        lp = -lambda;
      } else {
        const T log_lambda = math::log(lambda);
        if constexpr (include_summand<Propto, Varying, 0u>) {
          if (y >= 10)
            lp = detail::poisson_saddle_point(y, lambda, log_lambda);
          else
            lp = yd * log_lambda - lambda - math::lgamma(yd + 1.0);
        } else {
          lp = yd * log_lambda - lambda;
        }
      }
      if constexpr (Grad && varies<Varying, 1>) d[1] = (y == 0 ? T(0.0) : yd / lambda) - 1.0;
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, double lambda) {
    return random::poisson(g, lambda);
  }
};

} // namespace statix::dist
