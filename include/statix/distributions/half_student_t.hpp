#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Half-Student-t with nu degrees of freedom and scale sigma on y >= 0 (twice
// the student_t(nu, 0, sigma) density):
//   log p(y) = log 2 + lgamma((nu+1)/2) - lgamma(nu/2) - log(nu pi)/2 - log sigma
//              - (nu+1)/2 log1p(z^2 / nu),  z = y / sigma.
struct half_student_t {
  static constexpr const char* family_name = "half_student_t";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::nonnegative;
  static constexpr std::array<const char*, 2> param_names = {"nu", "sigma"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& nu, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, NU = 2u, SIGMA = 4u;
    if (!(detail::value(y) >= 0.0) || !detail::is_finite(y) || !detail::is_positive_finite(nu) ||
        !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | NU | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | NU | SIGMA>) {
      return T(0.0);
    } else {
      const T inv_sigma = math::inv(sigma);
      const T z = y * inv_sigma;
      const T z2 = z * z;
      const T r = z2 / nu;
      const T log1p_r = math::log1p(r);
      const T half_nu = 0.5 * nu;
      T lp = -(half_nu + 0.5) * log1p_r;
      if constexpr (include_summand<Propto, Varying, NU>)
        lp = lp + detail::lgamma_shift(half_nu, T(0.5)) - 0.5 * math::log(nu);
      if constexpr (include_summand<Propto, Varying, 0u>)
        lp = lp + (math::log_two - 0.5 * math::log_pi);
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - math::log(sigma);
      if constexpr (Grad) {
        const T w = (nu + 1.0) / (nu + z2);
        if constexpr (varies<Varying, 0>) d[0] = -w * z * inv_sigma;
        if constexpr (varies<Varying, 1>)
          d[1] = 0.5 * (detail::digamma_shift(half_nu, 0.5) - math::inv(nu) - log1p_r + w * r);
        if constexpr (varies<Varying, 2>) d[2] = (w * z2 - 1.0) * inv_sigma;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double nu, double sigma) {
    return sigma * math::abs(random::student_t(g, nu));
  }
};

} // namespace statix::dist
