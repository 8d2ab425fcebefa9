#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Negative binomial with mean mu and dispersion phi (variance mu + mu^2 / phi),
// on {0, 1, ...}:
//   log p(y) = lchoose(y + phi - 1, y) + y log(mu / (mu + phi)) + phi log(phi / (mu + phi))
//            = [lgamma(y + phi) - lgamma(phi) - lgamma(y + 1)]
//              - y log1p(phi / mu) - phi log1p(mu / phi).
// The two log1p terms are accurate for any ratio of mu and phi, and the
// bracket is evaluated with a Stirling-series difference where phi or y is
// large, so the value tends smoothly to the Poisson one as phi grows (phi =
// 1e12 loses nothing to lgamma(phi) ~ 2.6e13).
struct neg_binomial_2 {
  static constexpr const char* family_name = "neg_binomial_2";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::nonnegative_int;
  static constexpr std::array<const char*, 2> param_names = {"mu", "phi"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& mu, const T& phi, T* d) {
    constexpr unsigned MU = 2u, PHI = 4u;
    if (y < 0 || !detail::is_positive_finite(mu) || !detail::is_positive_finite(phi))
      return detail::reject<(Varying & (MU | PHI)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, MU | PHI>) {
      return T(0.0);
    } else {
      const double yd = y;
      const T log1p_mu_over_phi = math::log1p(mu / phi);
      T lp = -phi * log1p_mu_over_phi;
      if (y > 0) lp = lp - yd * math::log1p(phi / mu);
      if constexpr (include_summand<Propto, Varying, 0u>) {
        // lgamma(y + phi) - lgamma(phi) - lgamma(y + 1), shifting from the larger argument.
        const T y_plus_1(yd + 1.0);
        if (detail::value(phi) >= yd + 1.0)
          lp = lp + detail::lgamma_shift(phi, T(yd)) - math::lgamma(yd + 1.0);
        else
          lp = lp + detail::lgamma_shift(y_plus_1, phi - 1.0) - math::lgamma(phi);
      } else if constexpr (include_summand<Propto, Varying, PHI>) {
        lp = lp + detail::lgamma_shift(phi, T(yd)); // lgamma(y + 1) is a constant
      }
      if constexpr (Grad) {
        const T mu_plus_phi = mu + phi;
        if constexpr (varies<Varying, 1>) d[1] = phi * (yd - mu) / (mu * mu_plus_phi);
        if constexpr (varies<Varying, 2>)
          d[2] = detail::digamma_shift(phi, yd) - log1p_mu_over_phi + (mu - yd) / mu_plus_phi;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static int rng(Rng& g, double mu, double phi) {
    return random::negative_binomial_2(g, mu, phi);
  }
};

} // namespace statix::dist
