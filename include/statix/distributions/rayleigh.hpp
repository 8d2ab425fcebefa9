#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Rayleigh with scale sigma on y > 0:
//   log p(y) = log y - 2 log sigma - y^2 / (2 sigma^2);
//   lccdf = -y^2 / (2 sigma^2), lcdf = log(1 - exp(lccdf)).
struct rayleigh {
  static constexpr const char* family_name = "rayleigh";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::positive;
  static constexpr std::array<const char*, 1> param_names = {"sigma"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, SIGMA = 2u;
    if (!detail::is_positive_finite(y) || !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | SIGMA>) {
      return T(0.0);
    } else {
      const T inv_sigma = math::inv(sigma);
      const T z = y * inv_sigma;
      T lp = -0.5 * z * z;
      if constexpr (include_summand<Propto, Varying, Y>) lp = lp + math::log(y);
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - 2.0 * math::log(sigma);
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0>) d[0] = math::inv(y) - z * inv_sigma;
        if constexpr (varies<Varying, 1>) d[1] = (z * z - 2.0) * inv_sigma;
      }
      return lp;
    }
  }

  static constexpr bool differentiable_cdf = true; // lcdf/lccdf take duals
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& sigma) {
    if (!(math::value_of(y) > 0)) return S(0.0);
    const S z = y / sigma;
    return -0.5 * z * z;
  }
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& sigma) {
    return math::log1m_exp(lccdf(y, sigma));
  }
  static double cdf(double y, double sigma) { return -math::expm1(lccdf(y, sigma)); }

  // Inversion: sigma sqrt(-2 log u).
  template <class Rng>
  STATIX_HD static double rng(Rng& g, double sigma) {
    return sigma * math::sqrt(-2.0 * math::log(random::uniform01(g)));
  }
};

} // namespace statix::dist
