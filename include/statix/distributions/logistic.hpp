#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Logistic with location mu and scale s:
//   log p(y) = -z - log s - 2 log1p(exp(-z)),  z = (y - mu) / s,
// evaluated in the symmetric form -|z| - 2 log1p(exp(-|z|)), which neither
// overflows nor cancels in either tail; its z-derivative is -tanh(z / 2).
struct logistic {
  static constexpr const char* family_name = "logistic";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 2> param_names = {"mu", "s"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& s, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, S = 4u;
    if (!detail::is_finite(y) || !detail::is_finite(mu) || !detail::is_positive_finite(s))
      return detail::reject<(Varying & (Y | MU | S)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | MU | S>) {
      return T(0.0);
    } else {
      const T inv_s = math::inv(s);
      const T z = (y - mu) * inv_s;
      const T abs_z = math::abs(z);
      T lp = -abs_z - 2.0 * math::log1p(math::exp(-abs_z));
      if constexpr (include_summand<Propto, Varying, S>) lp = lp - math::log(s);
      if constexpr (Grad) {
        const T t = math::tanh(0.5 * z);
        if constexpr (varies<Varying, 0> || varies<Varying, 1>) {
          const T dmu = t * inv_s;
          if constexpr (varies<Varying, 0>) d[0] = -dmu;
          if constexpr (varies<Varying, 1>) d[1] = dmu;
        }
        if constexpr (varies<Varying, 2>) d[2] = (z * t - 1.0) * inv_s;
      }
      return lp;
    }
  }

  // lcdf = -log(1 + exp(-z)), lccdf = -log(1 + exp(z)); any scalar.
  static constexpr bool differentiable_cdf = true;
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& mu, const S& s) {
    return -math::log1p_exp(S((mu - y) / s));
  }
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& mu, const S& s) {
    return -math::log1p_exp(S((y - mu) / s));
  }
  static double cdf(double y, double mu, double s) { return math::exp(lcdf(y, mu, s)); }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double s) {
    return random::logistic(g, mu, s);
  }
};

} // namespace statix::dist
