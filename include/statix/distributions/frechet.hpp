#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Frechet (type II extreme value) with shape alpha and scale sigma on y > 0:
//   log p(y) = log alpha + alpha log sigma - (alpha + 1) log y - (y / sigma)^(-alpha);
//   lcdf = -(y / sigma)^(-alpha), lccdf = log(1 - exp(lcdf)).
struct frechet {
  static constexpr const char* family_name = "frechet";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::positive;
  static constexpr std::array<const char*, 2> param_names = {"alpha", "sigma"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& alpha, const T& sigma, T* d) {
    constexpr unsigned Y = 1u, ALPHA = 2u, SIGMA = 4u;
    if (!detail::is_positive_finite(y) || !detail::is_positive_finite(alpha) ||
        !detail::is_positive_finite(sigma))
      return detail::reject<(Varying & (Y | ALPHA | SIGMA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | ALPHA | SIGMA>) {
      return T(0.0);
    } else {
      const T log_y = math::log(y);
      const T log_ratio = log_y - math::log(sigma); // log(y / sigma)
      const T p = math::exp(-alpha * log_ratio);
      if (!detail::is_finite(p)) {
        detail::zero_partials<(Varying & (Y | ALPHA | SIGMA)), Grad>(d);
        return math::negative_infinity<T>();
      }
      // alpha log sigma - (alpha + 1) log y = -alpha log(y / sigma) - log y.
      T lp = -p;
      if constexpr (include_summand<Propto, Varying, ALPHA>) lp = lp + math::log(alpha);
      if constexpr (include_summand<Propto, Varying, Y | ALPHA | SIGMA>)
        lp = lp - alpha * log_ratio;
      if constexpr (include_summand<Propto, Varying, Y>) lp = lp - log_y;
      if constexpr (Grad) {
        const T one_m_p = 1.0 - p;
        if constexpr (varies<Varying, 0>) d[0] = -(alpha * one_m_p + 1.0) / y;
        if constexpr (varies<Varying, 1>) d[1] = math::inv(alpha) - log_ratio * one_m_p;
        if constexpr (varies<Varying, 2>) d[2] = alpha * one_m_p / sigma;
      }
      return lp;
    }
  }

  static constexpr bool differentiable_cdf = true; // lcdf/lccdf take duals
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& alpha, const S& sigma) {
    if (!(math::value_of(y) > 0)) return math::negative_infinity<S>();
    return -math::exp(S(-alpha * (math::log(y) - math::log(sigma))));
  }
  static double cdf(double y, double alpha, double sigma) {
    return math::exp(lcdf(y, alpha, sigma));
  }
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& alpha, const S& sigma) {
    if (!(math::value_of(y) > 0)) return S(0.0);
    return math::log1m_exp(lcdf(y, alpha, sigma));
  }

  // Inversion: sigma (-log u)^(-1 / alpha).
  template <class Rng>
  STATIX_HD static double rng(Rng& g, double alpha, double sigma) {
    return sigma * math::exp(-math::log(-math::log(random::uniform01(g))) / alpha);
  }
};

} // namespace statix::dist
