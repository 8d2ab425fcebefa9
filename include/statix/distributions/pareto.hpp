#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Pareto (type I) with scale y_min and shape alpha on y >= y_min:
//   log p(y) = log alpha + alpha log y_min - (alpha + 1) log y;
//   lccdf = alpha (log y_min - log y), lcdf = log(1 - exp(lccdf)).
// The support starts at a parameter: as a free variable the declared support
// is (0, inf) and the points below y_min have density 0 (-inf), so a pareto
// is meant for observed data (or a constant y_min below every start).
struct pareto {
  static constexpr const char* family_name = "pareto";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::positive;
  static constexpr std::array<const char*, 2> param_names = {"y_min", "alpha"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::positive,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& y_min, const T& alpha, T* d) {
    constexpr unsigned Y = 1u, YMIN = 2u, ALPHA = 4u;
    if (!detail::is_positive_finite(y) || !detail::is_positive_finite(y_min) ||
        !detail::is_positive_finite(alpha) || detail::value(y) < detail::value(y_min))
      return detail::reject<(Varying & (Y | YMIN | ALPHA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | YMIN | ALPHA>) {
      return T(0.0);
    } else {
      T lp(0.0);
      T log_y(0.0), log_y_min(0.0);
      if constexpr (include_summand<Propto, Varying, Y | ALPHA> || varies<Varying, 2>)
        log_y = math::log(y);
      if constexpr (include_summand<Propto, Varying, YMIN | ALPHA> || varies<Varying, 2>)
        log_y_min = math::log(y_min);
      if constexpr (include_summand<Propto, Varying, ALPHA>) lp = math::log(alpha);
      if constexpr (include_summand<Propto, Varying, YMIN | ALPHA>) lp = lp + alpha * log_y_min;
      if constexpr (include_summand<Propto, Varying, Y | ALPHA>) lp = lp - (alpha + 1.0) * log_y;
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0>) d[0] = -(alpha + 1.0) / y;
        if constexpr (varies<Varying, 1>) d[1] = alpha / y_min;
        if constexpr (varies<Varying, 2>) d[2] = math::inv(alpha) + log_y_min - log_y;
      }
      return lp;
    }
  }

  // Below y_min: lcdf = -inf, lccdf = 0.
  static constexpr bool differentiable_cdf = true; // lcdf/lccdf take duals
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& y_min, const S& alpha) {
    if (math::value_of(y) <= math::value_of(y_min)) return S(0.0);
    return alpha * (math::log(y_min) - math::log(y));
  }
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& y_min, const S& alpha) {
    return math::log1m_exp(lccdf(y, y_min, alpha));
  }
  static double cdf(double y, double y_min, double alpha) {
    return -math::expm1(lccdf(y, y_min, alpha));
  }

  // Inversion: y_min u^(-1 / alpha).
  template <class Rng>
  STATIX_HD static double rng(Rng& g, double y_min, double alpha) {
    return y_min * math::exp(-math::log(random::uniform01(g)) / alpha);
  }
};

} // namespace statix::dist
