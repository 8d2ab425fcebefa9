#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Pareto type II (Lomax shifted to mu) with location mu, scale lambda, shape
// alpha on y >= mu, as Stan's pareto_type_2:
//   log p(y) = log alpha - log lambda - (alpha + 1) log1p((y - mu) / lambda);
//   lccdf = -alpha log1p((y - mu) / lambda), lcdf = log(1 - exp(lccdf)).
// The support starts at mu (see pareto.hpp): declared over the real line,
// -inf below mu; meant for observed data.
struct pareto_type_2 {
  static constexpr const char* family_name = "pareto_type_2";
  static constexpr int num_params = 3;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 3> param_names = {"mu", "lambda", "alpha"};
  static constexpr std::array<param_domain, 3> param_domains = {
      param_domain::real, param_domain::positive, param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& lambda, const T& alpha, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, LAMBDA = 4u, ALPHA = 8u;
    constexpr unsigned ALL = Y | MU | LAMBDA | ALPHA;
    if (!detail::is_finite(y) || !detail::is_finite(mu) || !detail::is_positive_finite(lambda) ||
        !detail::is_positive_finite(alpha) || detail::value(y) < detail::value(mu))
      return detail::reject<(Varying & ALL), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALL>) {
      return T(0.0);
    } else {
      const T x = y - mu;
      const T log1p_x = math::log1p(x / lambda);
      T lp(0.0);
      if constexpr (include_summand<Propto, Varying, ALPHA>) lp = math::log(alpha);
      if constexpr (include_summand<Propto, Varying, LAMBDA>) lp = lp - math::log(lambda);
      lp = lp - (alpha + 1.0) * log1p_x;
      if constexpr (Grad) {
        const T inv_shifted = math::inv(lambda + x);
        if constexpr (varies<Varying, 0>) d[0] = -(alpha + 1.0) * inv_shifted;
        if constexpr (varies<Varying, 1>) d[1] = (alpha + 1.0) * inv_shifted;
        if constexpr (varies<Varying, 2>) d[2] = ((alpha + 1.0) * x * inv_shifted - 1.0) / lambda;
        if constexpr (varies<Varying, 3>) d[3] = math::inv(alpha) - log1p_x;
      }
      return lp;
    }
  }

  static constexpr bool differentiable_cdf = true; // lcdf/lccdf take duals
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& mu, const S& lambda, const S& alpha) {
    if (math::value_of(y) <= math::value_of(mu)) return S(0.0);
    return -alpha * math::log1p(S((y - mu) / lambda));
  }
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& mu, const S& lambda, const S& alpha) {
    return math::log1m_exp(lccdf(y, mu, lambda, alpha));
  }
  static double cdf(double y, double mu, double lambda, double alpha) {
    return -math::expm1(lccdf(y, mu, lambda, alpha));
  }

  // Inversion: mu + lambda (u^(-1 / alpha) - 1).
  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double lambda, double alpha) {
    return mu + lambda * math::expm1(-math::log(random::uniform01(g)) / alpha);
  }
};

} // namespace statix::dist
