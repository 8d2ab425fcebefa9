#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Gamma with shape alpha and rate beta on y >= 0:
//   log p(y) = alpha log beta - lgamma(alpha) + (alpha - 1) log y - beta y.
// At y = 0 the value is the limit: +inf for alpha < 1, log beta for alpha = 1,
// -inf for alpha > 1 (partials 0 where the value is infinite).
struct gamma {
  static constexpr const char* family_name = "gamma";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::nonnegative;
  static constexpr std::array<const char*, 2> param_names = {"alpha", "beta"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& alpha, const T& beta, T* d) {
    constexpr unsigned Y = 1u, ALPHA = 2u, BETA = 4u;
    if (!(detail::value(y) >= 0.0) || !detail::is_finite(y) || !detail::is_positive_finite(alpha) ||
        !detail::is_positive_finite(beta))
      return detail::reject<(Varying & (Y | ALPHA | BETA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | ALPHA | BETA>) {
      return T(0.0);
    } else {
      constexpr bool need_log_y = include_summand<Propto, Varying, Y | ALPHA> || varies<Varying, 1>;
      constexpr bool need_log_beta =
          include_summand<Propto, Varying, ALPHA | BETA> || varies<Varying, 1>;
      const bool at_zero = detail::value(y) == 0.0;
      const T alpha_m1 = alpha - 1.0;
      T log_y(0.0), log_beta(0.0);
      if constexpr (need_log_y) log_y = math::log(y);
      if constexpr (need_log_beta) log_beta = math::log(beta);
      T lp(0.0);
      if constexpr (include_summand<Propto, Varying, Y | BETA>) lp = -beta * y;
      if constexpr (include_summand<Propto, Varying, Y | ALPHA>)
        lp = lp + detail::times_log(alpha_m1, log_y);
      if constexpr (include_summand<Propto, Varying, ALPHA | BETA>) lp = lp + alpha * log_beta;
      if constexpr (include_summand<Propto, Varying, ALPHA>) lp = lp - math::lgamma(alpha);
      if (at_zero && !detail::is_finite(lp)) {
        detail::zero_partials<(Varying & (Y | ALPHA | BETA)), Grad>(d);
        return lp;
      }
      if constexpr (Grad) {
        // At y = 0 the value is finite only for alpha = 1, where (alpha - 1) / y -> 0.
        if constexpr (varies<Varying, 0>) d[0] = (at_zero ? T(0.0) : alpha_m1 / y) - beta;
        if constexpr (varies<Varying, 1>) d[1] = log_beta - math::digamma(alpha) + log_y;
        if constexpr (varies<Varying, 2>) d[2] = alpha / beta - y;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double alpha, double beta) {
    return random::gamma(g, alpha, beta);
  }
};

} // namespace statix::dist
