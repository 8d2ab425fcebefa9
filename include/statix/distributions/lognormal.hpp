#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Lognormal: log y ~ normal(mu, sigma), on y > 0:
//   log p(y) = -log(2 pi)/2 - log sigma - log y - z^2/2,  z = (log y - mu) / sigma
// (the density tends to 0 at y = 0, so y = 0 gives -inf).
struct lognormal {
  static constexpr const char* family_name = "lognormal";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::positive;
  static constexpr std::array<const char*, 2> param_names = {"mu", "sigma"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, SIGMA = 4u;
    if (!detail::is_positive_finite(y) || !detail::is_finite(mu) ||
        !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | MU | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | MU | SIGMA>) {
      return T(0.0);
    } else {
      const T log_y = math::log(y);
      const T inv_sigma = math::inv(sigma);
      const T z = (log_y - mu) * inv_sigma;
      T lp = -0.5 * z * z;
      if constexpr (include_summand<Propto, Varying, 0u>) {
        constexpr double half_log_two_pi = math::half_log_two_pi; // local: see normal.hpp
        lp = lp - half_log_two_pi;
      }
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - math::log(sigma);
      if constexpr (include_summand<Propto, Varying, Y>) lp = lp - log_y;
      if constexpr (Grad) {
        const T dmu = z * inv_sigma;
        if constexpr (varies<Varying, 0>) d[0] = -(1.0 + dmu) / y;
        if constexpr (varies<Varying, 1>) d[1] = dmu;
        if constexpr (varies<Varying, 2>) d[2] = (z * z - 1.0) * inv_sigma;
      }
      return lp;
    }
  }

  // cdf = Phi((log y - mu) / sigma); lcdf and lccdf take any scalar.
  static constexpr bool differentiable_cdf = true;
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& mu, const S& sigma) {
    if (!(math::value_of(y) > 0)) return math::negative_infinity<S>();
    return detail::log_Phi(S((math::log(y) - mu) / sigma));
  }
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& mu, const S& sigma) {
    if (!(math::value_of(y) > 0)) return S(0.0);
    return detail::log_Phi(S((mu - math::log(y)) / sigma));
  }
  static double cdf(double y, double mu, double sigma) { return math::exp(lcdf(y, mu, sigma)); }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double sigma) {
    return random::lognormal(g, mu, sigma);
  }
};

} // namespace statix::dist
