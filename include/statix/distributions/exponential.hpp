#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Exponential with rate lambda on y >= 0: log p(y) = log lambda - lambda y
// (finite at y = 0, where it equals log lambda).
struct exponential {
  static constexpr const char* family_name = "exponential";
  static constexpr int num_params = 1;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::nonnegative;
  static constexpr std::array<const char*, 1> param_names = {"lambda"};
  static constexpr std::array<param_domain, 1> param_domains = {param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& lambda, T* d) {
    constexpr unsigned Y = 1u, LAMBDA = 2u;
    if (!(detail::value(y) >= 0.0) || !detail::is_finite(y) || !detail::is_positive_finite(lambda))
      return detail::reject<(Varying & (Y | LAMBDA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, Y | LAMBDA>) {
      return T(0.0);
    } else {
      T lp = -lambda * y;
      if constexpr (include_summand<Propto, Varying, LAMBDA>) lp = lp + math::log(lambda);
      if constexpr (Grad) {
        if constexpr (varies<Varying, 0>) d[0] = -lambda;
        if constexpr (varies<Varying, 1>) d[1] = math::inv(lambda) - y;
      }
      return lp;
    }
  }

  // cdf = 1 - exp(-lambda y); lcdf and lccdf take any scalar (duals too).
  static constexpr bool differentiable_cdf = true;
  template <class S>
  STATIX_HD static S lccdf(const S& y, const S& lambda) {
    if (!(math::value_of(y) > 0)) return S(0.0);
    return -lambda * y;
  }
  template <class S>
  STATIX_HD static S lcdf(const S& y, const S& lambda) {
    return math::log1m_exp(lccdf(y, lambda));
  }
  static double cdf(double y, double lambda) { return -math::expm1(lccdf(y, lambda)); }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double lambda) {
    return random::exponential(g, lambda);
  }
};

} // namespace statix::dist
