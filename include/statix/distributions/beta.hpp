#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Beta(a, b) on [0, 1]:
//   log p(y) = -lbeta(a, b) + (a - 1) log y + (b - 1) log1m(y).
// At y = 0 or 1 the value is the limit (+inf when the exponent is negative,
// finite when it is 0, -inf when positive; partials 0 where it is infinite).
struct beta {
  static constexpr const char* family_name = "beta";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::unit_interval;
  static constexpr std::array<const char*, 2> param_names = {"a", "b"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& a, const T& b, T* d) {
    constexpr unsigned Y = 1u, A = 2u, B = 4u;
    if (!detail::is_probability(y) || !detail::is_positive_finite(a) ||
        !detail::is_positive_finite(b))
      return detail::reject<(Varying & (Y | A | B)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | A | B>) {
      return T(0.0);
    } else {
      const double y_value = detail::value(y);
      const bool at_zero = y_value == 0.0, at_one = y_value == 1.0;
      const T a_m1 = a - 1.0, b_m1 = b - 1.0;
      T log_y(0.0), log1m_y(0.0);
      if constexpr (include_summand<Propto, Varying, Y | A> || varies<Varying, 1>)
        log_y = math::log(y);
      if constexpr (include_summand<Propto, Varying, Y | B> || varies<Varying, 2>)
        log1m_y = math::log1m(y);
      T lp(0.0);
      if constexpr (include_summand<Propto, Varying, Y | A>) lp = detail::times_log(a_m1, log_y);
      if constexpr (include_summand<Propto, Varying, Y | B>)
        lp = lp + detail::times_log(b_m1, log1m_y);
      if constexpr (include_summand<Propto, Varying, A | B>) lp = lp - math::lbeta(a, b);
      if ((at_zero || at_one) && !detail::is_finite(lp)) {
        detail::zero_partials<(Varying & (Y | A | B)), Grad>(d);
        return lp;
      }
      if constexpr (Grad) {
        // At an end point the value is finite only where the exponent there is 0.
        if constexpr (varies<Varying, 0>)
          d[0] = (at_zero ? T(0.0) : a_m1 / y) - (at_one ? T(0.0) : b_m1 / (1.0 - y));
        if constexpr (varies<Varying, 1> || varies<Varying, 2>) {
          const T digamma_ab = math::digamma(a + b);
          if constexpr (varies<Varying, 1>) d[1] = log_y + digamma_ab - math::digamma(a);
          if constexpr (varies<Varying, 2>) d[2] = log1m_y + digamma_ab - math::digamma(b);
        }
      }
      return lp;
    }
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double a, double b) {
    return random::beta(g, a, b);
  }
};

} // namespace statix::dist
