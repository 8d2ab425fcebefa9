#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Inverse gamma with shape alpha and scale beta on y > 0:
//   log p(y) = alpha log beta - lgamma(alpha) - (alpha + 1) log y - beta / y
// (the density tends to 0 at y = 0 for every alpha, so y = 0 gives -inf).
struct inv_gamma {
  static constexpr const char* family_name = "inv_gamma";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::positive;
  static constexpr std::array<const char*, 2> param_names = {"alpha", "beta"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& alpha, const T& beta, T* d) {
    constexpr unsigned Y = 1u, ALPHA = 2u, BETA = 4u;
    if (!detail::is_positive_finite(y) || !detail::is_positive_finite(alpha) ||
        !detail::is_positive_finite(beta))
      return detail::reject<(Varying & (Y | ALPHA | BETA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | ALPHA | BETA>) {
      return T(0.0);
    } else {
      constexpr bool need_log_y = include_summand<Propto, Varying, Y | ALPHA> || varies<Varying, 1>;
      constexpr bool need_log_beta =
          include_summand<Propto, Varying, ALPHA | BETA> || varies<Varying, 1>;
      const T inv_y = math::inv(y);
      T log_y(0.0), log_beta(0.0);
      if constexpr (need_log_y) log_y = math::log(y);
      if constexpr (need_log_beta) log_beta = math::log(beta);
      T lp(0.0);
      if constexpr (include_summand<Propto, Varying, Y | BETA>) lp = -beta * inv_y;
      if constexpr (include_summand<Propto, Varying, Y | ALPHA>) lp = lp - (alpha + 1.0) * log_y;
      if constexpr (include_summand<Propto, Varying, ALPHA | BETA>) lp = lp + alpha * log_beta;
      if constexpr (include_summand<Propto, Varying, ALPHA>) lp = lp - math::lgamma(alpha);
      if (!(detail::value(lp) > math::negative_infinity<double>())) // beta / y overflowed
        return detail::reject<(Varying & (Y | ALPHA | BETA)), Grad>(d);
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0>) d[0] = (beta * inv_y - (alpha + 1.0)) * inv_y;
        if constexpr (varies<Varying, 1>) d[1] = log_beta - math::digamma(alpha) - log_y;
        if constexpr (varies<Varying, 2>) d[2] = alpha / beta - inv_y;
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double alpha, double beta) {
    return random::inv_gamma(g, alpha, beta);
  }
};

} // namespace statix::dist
