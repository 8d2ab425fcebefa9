#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Weibull with shape alpha and scale sigma on y >= 0:
//   log p(y) = log alpha + (alpha - 1) log y - alpha log sigma - (y / sigma)^alpha.
// At y = 0 the value is the limit: +inf for alpha < 1, -log sigma for
// alpha = 1, -inf for alpha > 1 (partials 0 where it is infinite).
struct weibull {
  static constexpr const char* family_name = "weibull";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::nonnegative;
  static constexpr std::array<const char*, 2> param_names = {"alpha", "sigma"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& alpha, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, ALPHA = 2u, SIGMA = 4u;
    if (!(detail::value(y) >= 0.0) || !detail::is_finite(y) || !detail::is_positive_finite(alpha) ||
        !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | ALPHA | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | ALPHA | SIGMA>) {
      return T(0.0);
    } else {
      const bool at_zero = detail::value(y) == 0.0;
      const T log_y = math::log(y);
      const T log_sigma = math::log(sigma);
      const T log_z = log_y - log_sigma;    // log(y / sigma)
      const T u = math::exp(alpha * log_z); // (y / sigma)^alpha
      const T alpha_m1 = alpha - 1.0;
      T lp = -u;
      if constexpr (include_summand<Propto, Varying, ALPHA>) lp = lp + math::log(alpha);
      if constexpr (include_summand<Propto, Varying, Y | ALPHA>)
        lp = lp + detail::times_log(alpha_m1, log_y);
      if constexpr (include_summand<Propto, Varying, ALPHA | SIGMA>) lp = lp - alpha * log_sigma;
      if (at_zero && !detail::is_finite(lp)) {
        detail::zero_partials<(Varying & (Y | ALPHA | SIGMA)), Grad>(d);
        return lp;
      }
      if constexpr (Grad) {
        // At y = 0 the value is finite only for alpha = 1, where the y-partial is -1 / sigma.
        if constexpr (varies<Varying, 0>)
          d[0] = at_zero ? -math::inv(sigma) : (alpha_m1 - alpha * u) / y;
        if constexpr (varies<Varying, 1>) d[1] = math::inv(alpha) + log_z * (1.0 - u);
        if constexpr (varies<Varying, 2>) d[2] = alpha * (u - 1.0) / sigma;
      }
      return lp;
    }
  }

  // lccdf = -(y / sigma)^alpha, lcdf = log(1 - exp(lccdf)); any scalar.
  static constexpr bool differentiable_cdf = true;
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& alpha, const S& sigma) {
    if (!(math::value_of(y) > 0)) return S(0.0);
    return -math::exp(S(alpha * (math::log(y) - math::log(sigma))));
  }
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& alpha, const S& sigma) {
    return math::log1m_exp(lccdf(y, alpha, sigma));
  }
  static double cdf(double y, double alpha, double sigma) {
    return -math::expm1(lccdf(y, alpha, sigma));
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double alpha, double sigma) {
    return random::weibull(g, alpha, sigma);
  }
};

} // namespace statix::dist
