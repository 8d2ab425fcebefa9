#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/distributions/tail_functions.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Exponentially modified normal, Normal(mu, sigma) + Exponential(lambda), as
// Stan's exp_mod_normal:
//   log p(y) = log lambda - log 2 + lambda (mu + lambda sigma^2 / 2 - y) + log erfc(u),
//   u = (mu + lambda sigma^2 - y) / (sigma sqrt 2).
// Where erfc(u) underflows (u >= 25) the exponent and -u^2 nearly cancel; there
// the sum is taken in closed form,
//   log lambda - log 2 - (y - mu)^2 / (2 sigma^2) - log u - log(pi)/2 + log S(u),
// S the asymptotic series of erfc (tail_functions.hpp).
//   cdf = Phi(v) - exp(-lambda (y - mu) + lambda^2 sigma^2 / 2) Phi(v - lambda sigma),
//   v = (y - mu) / sigma, and its logarithms by log_diff_exp / log_sum_exp.
struct exp_mod_normal {
  static constexpr const char* family_name = "exp_mod_normal";
  static constexpr int num_params = 3;
  static constexpr bool is_discrete = false;
  static constexpr support_kind support = support_kind::real;
  static constexpr std::array<const char*, 3> param_names = {"mu", "sigma", "lambda"};
  static constexpr std::array<param_domain, 3> param_domains = {
      param_domain::real, param_domain::positive, param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const T& y, const T& mu, const T& sigma, const T& lambda, T* d) {
    constexpr unsigned Y = 1u, MU = 2u, SIGMA = 4u, LAMBDA = 8u;
    constexpr unsigned ALL = Y | MU | SIGMA | LAMBDA;
    if (!detail::is_finite(y) || !detail::is_finite(mu) || !detail::is_positive_finite(sigma) ||
        !detail::is_positive_finite(lambda))
      return detail::reject<(Varying & ALL), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALL>) {
      return T(0.0);
    } else {
      constexpr double inv_sqrt_two = 0.70710678118654752440084436210484904;
      constexpr double log_two = 0.69314718055994530941723212145817657;
      const T lambda_sigma2 = lambda * sigma * sigma;
      const T x = mu - y;
      const T u = (x + lambda_sigma2) * inv_sqrt_two / sigma;
      T lp(0.0);
      if (detail::value(u) >= 25.0) {
        constexpr double half_log_pi = 0.57236494292470008707171367567652935;
        const T v = x / sigma;
        lp = -0.5 * v * v - math::log(u) - half_log_pi + math::log(detail::erfc_asymptotic_sum(u));
      } else {
        lp = lambda * (x + 0.5 * lambda_sigma2) + detail::log_erfc(u);
      }
      if constexpr (include_summand<Propto, Varying, LAMBDA>) lp = lp + math::log(lambda);
      if constexpr (include_summand<Propto, Varying, 0u>) lp = lp - log_two;
      if (!detail::is_finite(lp)) {
        detail::zero_partials<(Varying & ALL), Grad>(d);
        return math::negative_infinity<T>();
      }
      if constexpr (Grad) {
        const T r = detail::erfc_log_slope(u);  // -d log erfc(u) / du
        const T r_u = r * inv_sqrt_two / sigma; // -d log erfc(u) / dmu
        if constexpr (varies<Varying, 0>) d[0] = r_u - lambda;
        if constexpr (varies<Varying, 1>) d[1] = lambda - r_u;
        if constexpr (varies<Varying, 2>)
          d[2] = lambda * lambda * sigma - r * inv_sqrt_two * (lambda - x / (sigma * sigma));
        if constexpr (varies<Varying, 3>)
          d[3] = math::inv(lambda) + x + lambda_sigma2 - r * sigma * inv_sqrt_two;
      }
      return lp;
    }
  }

  // log(exp(-lambda (y - mu) + lambda^2 sigma^2 / 2) Phi(v - lambda sigma)).
  static double log_shifted_term(double y, double mu, double sigma, double lambda) {
    const double v = (y - mu) / sigma;
    return -lambda * (y - mu) + 0.5 * lambda * lambda * sigma * sigma +
           detail::log_Phi(v - lambda * sigma);
  }
  static double lcdf(double y, double mu, double sigma, double lambda) {
    const double v = (y - mu) / sigma;
    return math::log_diff_exp(detail::log_Phi(v), log_shifted_term(y, mu, sigma, lambda));
  }
  static double lccdf(double y, double mu, double sigma, double lambda) {
    const double v = (y - mu) / sigma;
    return math::log_sum_exp(detail::log_Phi(-v), log_shifted_term(y, mu, sigma, lambda));
  }
  static double cdf(double y, double mu, double sigma, double lambda) {
    return math::exp(lcdf(y, mu, sigma, lambda));
  }

  template <class Rng>
  STATIX_HD static double rng(Rng& g, double mu, double sigma, double lambda) {
    return random::normal(g, mu, sigma) + random::exponential(g, lambda);
  }
};

} // namespace statix::dist
