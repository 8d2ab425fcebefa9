#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Laplace (double exponential) with location mu and scale sigma:
//   log p(y) = -log 2 - log sigma - |y - mu| / sigma.
// At y = mu the partials in y and mu take the sign 0 (as Stan does).
struct laplace {
  static constexpr const char* family_name = "laplace";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 2> param_names = {"mu", "sigma"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, SIGMA = 4u;
    if (!detail::is_finite(y) || !detail::is_finite(mu) || !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | MU | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | MU | SIGMA>) {
      return T(0.0);
    } else {
      const T inv_sigma = math::inv(sigma);
      const T diff = y - mu;
      const T abs_z = math::abs(diff) * inv_sigma;
      T lp = -abs_z;
      if constexpr (include_summand<Propto, Varying, 0u>) {
        constexpr double log_two =
            math::log_two; // a local copy: device code cannot bind the global
        lp = lp - log_two;
      }
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - math::log(sigma);
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0> || varies<Varying, 1>) {
          const double diff_value = detail::value(diff);
          const double sign = diff_value > 0.0 ? 1.0 : (diff_value < 0.0 ? -1.0 : 0.0);
          const T dmu = sign * inv_sigma;
          if constexpr (varies<Varying, 0>) d[0] = -dmu;
          if constexpr (varies<Varying, 1>) d[1] = dmu;
        }
        if constexpr (varies<Varying, 2>) d[2] = (abs_z - 1.0) * inv_sigma;
      }
      return lp;
    }
  }

  // Below mu: cdf = exp(z) / 2; above: 1 - exp(-z) / 2. Any scalar.
  static constexpr bool differentiable_cdf = true;
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& mu, const S& sigma) {
    constexpr double log_half = -0.69314718055994530941723212145817657;
    const S z = (y - mu) / sigma;
    if (math::value_of(z) < 0) return log_half + z;
    return math::log1p(S(-0.5 * math::exp(S(-z))));
  }
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& mu, const S& sigma) {
    return lcdf(S(2.0 * mu - y), mu, sigma);
  }
  static double cdf(double y, double mu, double sigma) { return math::exp(lcdf(y, mu, sigma)); }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double sigma) {
    return random::laplace(g, mu, sigma);
  }
};

} // namespace statix::dist
