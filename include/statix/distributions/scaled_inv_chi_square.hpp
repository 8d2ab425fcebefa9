#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/inv_gamma.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Scaled inverse chi-square with nu degrees of freedom and scale s on y > 0,
// InvGamma(nu / 2, scale nu s^2 / 2):
//   log p(y) = (nu/2) log(nu/2) - lgamma(nu/2) + nu log s - (nu/2 + 1) log y
//              - nu s^2 / (2 y);
//   cdf = Q(nu / 2, nu s^2 / (2 y)).
struct scaled_inv_chi_square {
  static constexpr const char* family_name = "scaled_inv_chi_square";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::positive;
  static constexpr std::array<const char*, 2> param_names = {"nu", "s"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& nu, const T& s, T* d) {
    // inv_gamma's beta = nu s^2 / 2 varies with nu or s.
    constexpr unsigned V = (Varying & 3u) | ((Varying & 6u) != 0 ? 4u : 0u);
    if (!detail::is_positive_finite(s) || !detail::is_positive_finite(nu))
      return detail::reject<(Varying & 7u), Grad>(d);
    T dg[3];
    const T half_nu = 0.5 * nu;
    const T lp = inv_gamma::lpdf<Propto, V, Grad, T>(y, half_nu, half_nu * s * s, dg);
    if constexpr (Grad) {
      if constexpr (varies<Varying, 0>) d[0] = dg[0];
      if constexpr (varies<Varying, 1>) d[1] = 0.5 * dg[1] + 0.5 * s * s * dg[2];
      if constexpr (varies<Varying, 2>) d[2] = nu * s * dg[2];
    }
    return lp;
  }

#if !STATIX_DEVICE_CODE
  static double cdf(double y, double nu, double s) {
    return y <= 0 ? 0.0 : detail::gamma_q(0.5 * nu, 0.5 * nu * s * s / y);
  }
  static double lcdf(double y, double nu, double s) {
    return math::log(cdf(y, nu, s));
  }
  static double lccdf(double y, double nu, double s) {
    return y <= 0 ? 0.0 : math::log(detail::gamma_p(0.5 * nu, 0.5 * nu * s * s / y));
  }
#endif

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double nu, double s) {
    return nu * s * s / random::chi_square(g, nu);
  }
};

} // namespace statix::dist
