#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/inv_gamma.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Inverse chi-square with nu degrees of freedom on y > 0, InvGamma(nu / 2,
// scale 1 / 2):
//   log p(y) = -(nu/2) log 2 - lgamma(nu / 2) - (nu/2 + 1) log y - 1 / (2 y);
//   cdf = Q(nu / 2, 1 / (2 y)), the regularised upper incomplete gamma.
struct inv_chi_square {
  static constexpr const char* family_name = "inv_chi_square";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::positive;
  static constexpr std::array<const char*, 1> param_names = {"nu"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& nu, T* d) {
    T dg[3];
    const T lp = inv_gamma::lpdf<Propto, (Varying & 3u), Grad, T>(y, 0.5 * nu, T(0.5), dg);
    if constexpr (Grad) {
      if constexpr (varies<Varying, 0>) d[0] = dg[0];
      if constexpr (varies<Varying, 1>) d[1] = 0.5 * dg[1];
    }
    return lp;
  }

#if !STATIX_DEVICE_CODE
  static double cdf(double y, double nu) {
    return y <= 0 ? 0.0 : detail::gamma_q(0.5 * nu, 0.5 / y);
  }
  static double lcdf(double y, double nu) {
    return math::log(cdf(y, nu));
  }
  static double lccdf(double y, double nu) {
    return y <= 0 ? 0.0 : math::log(detail::gamma_p(0.5 * nu, 0.5 / y));
  }
#endif

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double nu) {
    return 1.0 / random::chi_square(g, nu);
  }
};

} // namespace statix::dist
