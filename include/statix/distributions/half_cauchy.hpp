#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/scale_family_kernel.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Half-Cauchy with scale sigma on y >= 0 (twice the cauchy(0, sigma) density):
//   log p(y) = log 2 - log pi - log sigma - log1p((y / sigma)^2).
struct half_cauchy {
  static constexpr const char* family_name = "half_cauchy";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::nonnegative;
  static constexpr std::array<const char*, 1> param_names = {"sigma"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, SIGMA = 2u;
    if (!(detail::value(y) >= 0.0) || !detail::is_finite(y) || !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | SIGMA>) {
      return T(0.0);
    } else {
      const T inv_sigma = math::inv(sigma);
      const T z = y * inv_sigma;
      const T z2 = z * z;
      T lp = -math::log1p_via_log(z2);
      if constexpr (include_summand<Propto, Varying, 0u>) lp = lp + (math::log_two - math::log_pi);
      if constexpr (include_summand<Propto, Varying, SIGMA>) lp = lp - math::log(sigma);
      if constexpr (Grad) {
        const T w = inv_sigma / (1.0 + z2);
        if constexpr (varies<Varying, 0>) d[0] = -2.0 * z * w;
        if constexpr (varies<Varying, 1>) d[1] = (z2 - 1.0) * w;
      }
      return lp;
    }
  }

  // The vector-term kernel: g(z) = -log1p(z^2); the partial is taken before
  // the logarithm, so fewer values are kept across the call.
  struct standard {
    static constexpr double log_constant = math::log_two - math::log_pi;
    template <class T>
    STATIX_HD static T g(const T& z, T& dg) {
      const T z2 = z * z;
      dg = -2.0 * z / (1.0 + z2);
      return -math::log1p_via_log(z2);
    }
  };
  template <bool Propto, unsigned Varying, unsigned Scalar, bool Grad, class T>
  using term_kernel = scale_family_kernel<standard, Propto, Varying, Scalar, Grad, T>;

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double sigma) {
    return math::abs(random::cauchy(g, 0.0, sigma));
  }
};

} // namespace statix::dist
