#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Negative binomial with shape alpha and inverse scale beta (mean alpha / beta,
// variance alpha / beta^2 (beta + 1)), on {0, 1, ...}, as Stan's neg_binomial:
//   log p(y) = lchoose(y + alpha - 1, y) + alpha log(beta / (1 + beta)) - y log1p(beta)
//            = [lgamma(y + alpha) - lgamma(alpha) - lgamma(y + 1)]
//              - alpha log1p(1 / beta) - y log1p(beta)
// (neg_binomial_2 with mu = alpha / beta, phi = alpha; the bracket as there).
//   cdf = I_{beta / (1 + beta)}(alpha, y + 1), the regularised incomplete beta.
struct neg_binomial {
  static constexpr const char* family_name = "neg_binomial";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::nonnegative_int;
  static constexpr std::array<const char*, 2> param_names = {"alpha", "beta"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& alpha, const T& beta, T* d) {
    constexpr unsigned ALPHA = 2u, BETA = 4u;
    if (y < 0 || !detail::is_positive_finite(alpha) || !detail::is_positive_finite(beta))
      return detail::reject<(Varying & (ALPHA | BETA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALPHA | BETA>) {
      return T(0.0);
    } else {
      const double yd = y;
      const T log1p_inv_beta = math::log1p(math::inv(beta));
      T lp = -alpha * log1p_inv_beta;
      if (y > 0) lp = lp - yd * math::log1p(beta);
      if constexpr (include_summand<Propto, Varying, 0u>) {
        if (detail::value(alpha) >= yd + 1.0)
          lp = lp + detail::lgamma_shift(alpha, T(yd)) - math::lgamma(yd + 1.0);
        else
          lp = lp + detail::lgamma_shift(T(yd + 1.0), alpha - 1.0) - math::lgamma(alpha);
      } else if constexpr (include_summand<Propto, Varying, ALPHA>) {
        lp = lp + detail::lgamma_shift(alpha, T(yd));
      }
      if constexpr (Grad) {
        if constexpr (varies<Varying, 1>) d[1] = detail::digamma_shift(alpha, yd) - log1p_inv_beta;
        if constexpr (varies<Varying, 2>) d[2] = (alpha / beta - yd) / (1.0 + beta);
      }
      return lp;
    }
  }

#if !STATIX_DEVICE_CODE
  static double cdf(int y, double alpha, double beta) {
    return y < 0 ? 0.0 : detail::ibeta(alpha, y + 1.0, beta / (1.0 + beta));
  }
  static double lcdf(int y, double alpha, double beta) {
    return math::log(cdf(y, alpha, beta));
  }
  static double lccdf(int y, double alpha, double beta) {
    return y < 0 ? 0.0 : math::log(detail::ibetac(alpha, y + 1.0, beta / (1.0 + beta)));
  }
#endif

  // Poisson(Gamma(alpha, rate beta)).
  template <class Rng>
  STATIX_HD static int rng(Rng& g, double alpha, double beta) {
    const double rate = random::gamma(g, alpha, beta);
    if (!(rate < random::poisson_max_rate)) return -1;
    return random::poisson(g, rate);
  }
};

} // namespace statix::dist
