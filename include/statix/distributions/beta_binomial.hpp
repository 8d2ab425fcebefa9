#pragma once

#include <array>

#include "statix/distributions/detail.hpp"
#include "statix/distributions/distribution_traits.hpp"
#include "statix/math/random.hpp"

namespace statix::dist {

// Beta-binomial with n trials and prior counts alpha, beta, on {0, ..., n}:
//   log p(y) = lchoose(n, y) + lbeta(y + alpha, n - y + beta) - lbeta(alpha, beta)
//            = lchoose(n, y) + [lgamma(y + alpha) - lgamma(alpha)]
//              + [lgamma(n - y + beta) - lgamma(beta)]
//              - [lgamma(n + alpha + beta) - lgamma(alpha + beta)];
//   d/dalpha = digamma(y + alpha) - digamma(n + alpha + beta) - digamma(alpha)
//              + digamma(alpha + beta), and likewise for beta with n - y.
// The cdf is the sum of the pmf (the smaller of the two tails).
struct beta_binomial {
  static constexpr const char* family_name = "beta_binomial";
  static constexpr int num_params = 3;
  static constexpr bool is_discrete = true;
  static constexpr support_kind support = support_kind::int_upto_param0;
  static constexpr std::array<const char*, 3> param_names = {"n", "alpha", "beta"};
  static constexpr std::array<param_domain, 3> param_domains = {
      param_domain::nonnegative_int, param_domain::positive, param_domain::positive};

  template <bool Propto, unsigned Varying, bool Grad, class T>
  STATIX_HD static T lpdf(const int& y, int n, const T& alpha, const T& beta, T* d) {
    constexpr unsigned ALPHA = 4u, BETA = 8u;
    if (n < 0 || y < 0 || y > n || !detail::is_positive_finite(alpha) ||
        !detail::is_positive_finite(beta))
      return detail::reject<(Varying & (ALPHA | BETA)), Grad>(d);
    if constexpr (!include_summand<Propto, Varying, ALPHA | BETA>) {
      return T(0.0);
    } else {
      const double nd = n, yd = y;
      // lbeta(y + a, n - y + b) - lbeta(a, b) as three lgamma differences, each
      // in Stirling form for large arguments (lgamma_shift), so that large
      // alpha and beta do not cancel.
      // The last bracket is split at alpha + beta + n - y, and the pair with
      // the same shift n - y is taken together (rising_ratio).
      const T sum = alpha + beta;
      T lp = detail::lgamma_shift(alpha, T(yd)) + rising_ratio(beta, alpha, nd - yd) -
             detail::lgamma_shift(sum + (nd - yd), T(yd));
      if constexpr (include_summand<Propto, Varying, 0u>) lp = lp + math::lchoose(nd, yd);
      if constexpr (Grad) {
        // digamma(y + a) - digamma(a) - [digamma(n + a + b) - digamma(a + b)], each
        // difference by digamma_shift (no cancellation for large a, b).
        const T common = detail::digamma_shift(sum, nd);
        if constexpr (varies<Varying, 2>) d[2] = detail::digamma_shift(alpha, yd) - common;
        if constexpr (varies<Varying, 3>) d[3] = detail::digamma_shift(beta, nd - yd) - common;
      }
      return lp;
    }
  }

  // [lgamma(x + m) - lgamma(x)] - [lgamma(x + a + m) - lgamma(x + a)]: for x >= 10
  // in Stirling form, where the m log terms combine into -m log1p(a / (x + m))
  // and only terms of size m are left to cancel (not lgamma's size x log x).
  template <class T>
  STATIX_HD static T rising_ratio(const T& x, const T& a, double m) {
    if (m == 0.0) return T(0.0);
    if (detail::value(x) >= 10.0) {
      const T xa = x + a;
      return (x - 0.5) * math::log1p(m / x) - (xa - 0.5) * math::log1p(m / xa) -
             m * math::log1p(a / (x + m)) + detail::stirling_correction(x + m) -
             detail::stirling_correction(x) - detail::stirling_correction(xa + m) +
             detail::stirling_correction(xa);
    }
    return detail::lgamma_shift(x, T(m)) - detail::lgamma_shift(x + a, T(m));
  }

  static double lcdf(int y, int n, double alpha, double beta) {
    if (y < 0) return math::negative_infinity<double>();
    if (y >= n) return 0.0;
    double acc = math::negative_infinity<double>();
    for (int k = 0; k <= y; ++k)
      acc = math::log_sum_exp(acc, lpdf<false, 0u, false, double>(k, n, alpha, beta, nullptr));
    return acc;
  }
  static double lccdf(int y, int n, double alpha, double beta) {
    if (y < 0) return 0.0;
    if (y >= n) return math::negative_infinity<double>();
    double acc = math::negative_infinity<double>();
    for (int k = y + 1; k <= n; ++k)
      acc = math::log_sum_exp(acc, lpdf<false, 0u, false, double>(k, n, alpha, beta, nullptr));
    return acc;
  }
  static double cdf(int y, int n, double alpha, double beta) {
    return math::exp(lcdf(y, n, alpha, beta));
  }

  // Binomial(n, Beta(alpha, beta)).
  template <class Rng>
  STATIX_HD static int rng(Rng& g, int n, double alpha, double beta) {
    return random::binomial(g, n, random::beta(g, alpha, beta));
  }
};

} // namespace statix::dist
