#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Gumbel (type I extreme value, maxima) with location mu and scale beta:
//   log p(y) = -log beta - z - exp(-z),  z = (y - mu) / beta;
//   cdf = exp(-exp(-z)), lcdf = -exp(-z), lccdf = log(1 - exp(-exp(-z))).
struct gumbel {
  static constexpr const char* family_name = "gumbel";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 2> param_names = {"mu", "beta"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& beta, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, BETA = 4u;
    if (!detail::is_finite(y) || !detail::is_finite(mu) || !detail::is_positive_finite(beta))
      return detail::reject<(Varying & (Y | MU | BETA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | MU | BETA>) {
      return T(0.0);
    } else {
      const T inv_beta = math::inv(beta);
      const T z = (y - mu) * inv_beta;
      const T exp_mz = math::exp(-z);
      T lp = -z - exp_mz;
      if constexpr (include_summand<Propto, Varying, BETA>) lp = lp - math::log(beta);
      if (!detail::is_finite(lp)) { // exp(-z) overflowed: the density is 0 there
        detail::zero_partials<(Varying & (Y | MU | BETA)), Grad>(d);
        return math::negative_infinity<T>();
      }
      if constexpr (Grad) {
        const T one_m = 1.0 - exp_mz; // d/dz of -lp's kernel
        if constexpr (varies<Varying, 0>) d[0] = -one_m * inv_beta;
        if constexpr (varies<Varying, 1>) d[1] = one_m * inv_beta;
        if constexpr (varies<Varying, 2>) d[2] = (z * one_m - 1.0) * inv_beta;
      }
      return lp;
    }
  }

  static constexpr bool differentiable_cdf = true; // lcdf/lccdf take duals
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& mu, const S& beta) {
    return -math::exp(S(-(y - mu) / beta));
  }
  static double cdf(double y, double mu, double beta) { return math::exp(lcdf(y, mu, beta)); }
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& mu, const S& beta) {
    return math::log1m_exp(lcdf(y, mu, beta));
  }

  // Inversion: mu - beta log(-log u).
  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double beta) {
    return mu - beta * math::log(-math::log(random::uniform01(g)));
  }
};

} // namespace statix::dist
