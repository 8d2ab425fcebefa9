#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// neg_binomial_2 with log mean eta (mu = exp(eta)) and dispersion phi:
//   log p(y) = [lgamma(y + phi) - lgamma(phi) - lgamma(y + 1)]
//              - y log1p_exp(log phi - eta) - phi log1p_exp(eta - log phi),
// which never forms exp(eta), so eta may be large either way;
//   d/deta = y - (y + phi) p,  p = inv_logit(eta - log phi) = mu / (mu + phi),
//   d/dphi = digamma(y + phi) - digamma(phi) - log1p(mu / phi) + p - y (1 - p) / phi.
//   cdf = I_{1 - p}(phi, y + 1).
struct neg_binomial_2_log {
  static constexpr const char* family_name = "neg_binomial_2_log";
  static constexpr int num_params = 2;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::nonnegative_int;
  static constexpr std::array<const char*, 2> param_names = {"eta", "phi"};
  static constexpr std::array<param_domain, 2> param_domains = {param_domain::real,
                                                                param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, const T& eta, const T& phi, T* d) {
    constexpr unsigned ETA = 2u, PHI = 4u;
    if (y < 0 || !detail::is_finite(eta) || !detail::is_positive_finite(phi))
      return detail::reject<(Varying & (ETA | PHI)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ETA | PHI>) {
      return T(0.0);
    } else {
      const double yd = y;
      const T t = eta - math::log(phi); // log(mu / phi)
      const T log1p_mu_over_phi = math::log1p_exp(t);
      T lp = -phi * log1p_mu_over_phi;
      if (y > 0) lp = lp - yd * math::log1p_exp(-t);
      if constexpr (include_summand<Propto, Varying, 0u>) {
        if (detail::value(phi) >= yd + 1.0)
          lp = lp + detail::lgamma_shift(phi, T(yd)) - math::lgamma(yd + 1.0);
        else
          lp = lp + detail::lgamma_shift(T(yd + 1.0), phi - 1.0) - math::lgamma(phi);
      } else if constexpr (include_summand<Propto, Varying, PHI>) {
        lp = lp + detail::lgamma_shift(phi, T(yd));
      }
      if constexpr (Grad) {
        const T p = math::inv_logit(t);
        const T q = math::inv_logit(-t);
        if constexpr (varies<Varying, 1>) d[1] = yd * q - phi * p;
        if constexpr (varies<Varying, 2>)
          d[2] = detail::digamma_shift(phi, yd) - log1p_mu_over_phi + p - yd * q / phi;
      }
      return lp;
    }
  }

#if !STATIX_DEVICE_CODE
  static double cdf(int y, double eta, double phi) {
    return y < 0 ? 0.0 : detail::ibeta(phi, y + 1.0, math::inv_logit(math::log(phi) - eta));
  }
  static double lcdf(int y, double eta, double phi) {
    return math::log(cdf(y, eta, phi));
  }
  static double lccdf(int y, double eta, double phi) {
    return y < 0 ? 0.0
                 : math::log(detail::ibetac(phi, y + 1.0, math::inv_logit(math::log(phi) - eta)));
  }
#endif

  template <class Rng>
  STATIX_HD static int rng(Rng& g, double eta, double phi) {
    return random::negative_binomial_2(g, math::exp(eta), phi);
  }
};

} // namespace statix::dist
