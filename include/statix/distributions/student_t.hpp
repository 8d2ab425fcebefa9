#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Student's t with nu degrees of freedom, location mu, scale sigma:
//   log p(y) = lgamma((nu+1)/2) - lgamma(nu/2) - log(nu pi)/2 - log sigma
//              - (nu+1)/2 log1p(z^2 / nu),  z = (y - mu) / sigma.
struct student_t {
  static constexpr const char* family_name = "student_t";
  static constexpr int num_params = 3;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 3> param_names = {"nu", "mu", "sigma"};
  static constexpr std::array<param_domain, 3> param_domains = {
      param_domain::positive, param_domain::real, param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& nu, const T& mu, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, NU = 2u, MU = 4u, SIGMA = 8u;
    if (!detail::is_finite(y) || !detail::is_positive_finite(nu) || !detail::is_finite(mu) ||
        !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | NU | MU | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | NU | MU | SIGMA>) {
      return T(0.0);
    } else {
      const T inv_sigma = math::inv(sigma);
      const T z = (y - mu) * inv_sigma;
      const T z2 = z * z;
      const T r = z2 / nu;
      const T log1p_r = math::log1p(r);
      const T half_nu = 0.5 * nu;
      T lp = -(half_nu + 0.5) * log1p_r;
      if constexpr (include_summand<Propto, Varying, NU>)
        lp = lp + detail::lgamma_shift(half_nu, T(0.5)) - 0.5 * math::log(nu);
      if constexpr (include_summand<Propto, Varying, 0u>) lp = lp - 0.5 * math::log_pi;
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - math::log(sigma);
      if constexpr (Grad) {
        // (nu + 1) / (nu + z^2): the weight shared by every partial.
        const T w = (nu + 1.0) / (nu + z2);
        if constexpr (varies<Varying, 0> || varies<Varying, 2>) {
          const T dmu = w * z * inv_sigma;
          if constexpr (varies<Varying, 0>) d[0] = -dmu;
          if constexpr (varies<Varying, 2>) d[2] = dmu;
        }
        if constexpr (varies<Varying, 1>)
          d[1] = 0.5 * (detail::digamma_shift(half_nu, 0.5) - math::inv(nu) - log1p_r + w * r);
        if constexpr (varies<Varying, 3>) d[3] = (w * z2 - 1.0) * inv_sigma;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double nu, double mu, double sigma) {
    return random::student_t(g, nu, mu, sigma);
  }
};

} // namespace statix::dist
