#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Cauchy(mu, sigma): log p(y) = -log pi - log sigma - log1p(z^2), z = (y - mu) / sigma.
struct cauchy {
  static constexpr const char* family_name = "cauchy";
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
      const T z = (y - mu) * inv_sigma;
      const T z2 = z * z;
      T lp = -math::log1p_via_log(z2);
      if constexpr (include_summand<Propto, Varying, 0u>) {
        constexpr double log_pi = math::log_pi; // a local copy: device code cannot bind the global
        lp = lp - log_pi;
      }
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - math::log(sigma);
      if constexpr (Grad) {
        const T w = inv_sigma / (1.0 + z2);
        if constexpr (varies<Varying, 0> || varies<Varying, 1>) {
          const T dmu = 2.0 * z * w;
          if constexpr (varies<Varying, 0>) d[0] = -dmu;
          if constexpr (varies<Varying, 1>) d[1] = dmu;
        }
        if constexpr (varies<Varying, 2>) d[2] = (z2 - 1.0) * w;
      }
      return lp;
    }
  }

  // cdf = 1/2 + atan(z) / pi, written atan(-1/z) / pi below the median so
  // that the lower tail keeps its digits; lccdf(z) = lcdf(-z). Any scalar.
  static constexpr bool differentiable_cdf = true;
  template <class S>
  STATIX_HD static S standard_lcdf(const S& z) {
    constexpr double inv_pi = 0.31830988618379067153776752674502872;
    if (math::value_of(z) < 0) return math::log(S(math::atan(S(-1.0 / z)) * inv_pi));
    return math::log(S(0.5 + math::atan(z) * inv_pi));
  }
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& mu, const S& sigma) {
    return standard_lcdf(S((y - mu) / sigma));
  }
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& mu, const S& sigma) {
    return standard_lcdf(S((mu - y) / sigma));
  }
  static double cdf(double y, double mu, double sigma) { return math::exp(lcdf(y, mu, sigma)); }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double sigma) {
    return random::cauchy(g, mu, sigma);
  }
};

} // namespace statix::dist
