#pragma once

// Special functions that the newer families need in their tails:
//   log_erfc(x)           log erfc(x) without underflow for large x
//                         (skew_normal, exp_mod_normal, normal's lcdf);
//   erfc_log_slope(x)     -d/dx log erfc(x) = 2 exp(-x^2) / (sqrt(pi) erfc(x));
//   log_bessel_i0(k)      log I0(k) for k >= 0 (von_mises), with its
//                         derivative bessel_i1_over_i0(k) = I1(k) / I0(k);
// and, on the host only, the regularised incomplete gamma and beta functions
// from Boost.Math that the cdfs use. The first three work for doubles and
// duals alike (nested duals through the chain rule).

#include "statix/base/macros.hpp"
#include "statix/math/constants.hpp"
#include "statix/math/functions.hpp"

#if !STATIX_DEVICE_CODE
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/owens_t.hpp>
#endif

namespace statix::dist::detail {

// Beyond x = 25 erfc(x) ~ 1e-274 is about to underflow; there the asymptotic
// series erfc(x) = exp(-x^2) / (x sqrt(pi)) * S(x),
//   S(x) = sum_k (-1)^k (2k - 1)!! / (2 x^2)^k   (Abramowitz & Stegun 7.1.23),
// is used; at x >= 25 twelve terms leave an error below 1e-20.
template <class T>
STATIX_HD T erfc_asymptotic_sum(const T& x) {
  const T w = math::inv(2.0 * x * x);
  T term(1.0), sum(1.0);
  for (int k = 1; k <= 12; ++k) {
    term = -term * double(2 * k - 1) * w;
    sum = sum + term;
  }
  return sum;
}

template <class T>
STATIX_HD T log_erfc(const T& x) {
  if (math::value_of(x) < 25.0) return math::log(math::erfc(x));
  constexpr double half_log_pi = 0.57236494292470008707171367567652935; // log(pi) / 2
  return -x * x - math::log(x) - half_log_pi + math::log(erfc_asymptotic_sum(x));
}

template <class T>
STATIX_HD T erfc_log_slope(const T& x) {
  if (math::value_of(x) < 25.0) {
    constexpr double two_over_sqrt_pi = 1.12837916709551257389615890312154517;
    return two_over_sqrt_pi * math::exp(-x * x) / math::erfc(x);
  }
  return 2.0 * x / erfc_asymptotic_sum(x);
}

// log I_nu(k) / exp(k) * sqrt(2 pi k) for nu = 0, 1 and k >= 30 from the
// asymptotic series sum_j (-1)^j a_j(nu) / k^j,
//   a_j(nu) = prod_{i=1..j} (4 nu^2 - (2i - 1)^2) / (j! 8^j)  (A&S 9.7.1),
// 30 terms (the terms still shrink there: an error below 1e-17 at k = 30);
// below 30 the power series sum_j (k/2)^(2j + nu) / (j! (j + nu)!), whose
// terms are all positive, summed until they no longer change the sum.
inline STATIX_HD double bessel_i_scaled(int nu, double k) {
  if (k >= 30.0) {
    double term = 1.0, sum = 1.0;
    for (int j = 1; j <= 30; ++j) {
      const double odd = 2.0 * j - 1.0;
      term *= -(4.0 * nu * nu - odd * odd) / (j * 8.0 * k);
      sum += term;
      if (math::abs(term) < 1e-17 * sum) break;
    }
    return sum;
  }
  const double q = 0.25 * k * k;
  double term = nu == 0 ? 1.0 : 0.5 * k, sum = term;
  for (int j = 1; j < 500; ++j) {
    term *= q / (double(j) * double(j + nu));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

inline STATIX_HD double log_bessel_i0(double k) {
  if (k >= 30.0)
    return k - 0.5 * math::log(double(math::two_pi) * k) + math::log(bessel_i_scaled(0, k));
  return math::log(bessel_i_scaled(0, k));
}

inline STATIX_HD double bessel_i1_over_i0(double k) {
  if (k == 0.0) return 0.0;
  return bessel_i_scaled(1, k) / bessel_i_scaled(0, k);
}

// d/dk (I1 / I0) = 1 - (I1 / I0) / k - (I1 / I0)^2 (from I0' = I1, I1' = I0 - I1 / k).
template <class T, int N>
STATIX_HD math::dual<T, N> bessel_i1_over_i0(const math::dual<T, N>& k);
template <class T, int N>
STATIX_HD math::dual<T, N> log_bessel_i0(const math::dual<T, N>& k) {
  return math::detail::chain_rule(k, log_bessel_i0(k.val), bessel_i1_over_i0(k.val));
}
template <class T, int N>
STATIX_HD math::dual<T, N> bessel_i1_over_i0(const math::dual<T, N>& k) {
  const T r = bessel_i1_over_i0(k.val);
  const T slope = math::value_of(k.val) == 0.0 ? T(0.5) : T(1.0) - r / k.val - r * r;
  return math::detail::chain_rule(k, r, slope);
}

// log(I0(k) exp(-k)), whose derivative is I1(k) / I0(k) - 1: von_mises adds
// k back as -2 k sin^2(x / 2) + k cos(x) ... without cancelling against a large k.
inline STATIX_HD double log_bessel_i0_scaled(double k) {
  if (k >= 30.0)
    return -0.5 * math::log(double(math::two_pi) * k) + math::log(bessel_i_scaled(0, k));
  return math::log(bessel_i_scaled(0, k)) - k;
}
template <class T, int N>
STATIX_HD math::dual<T, N> log_bessel_i0_scaled(const math::dual<T, N>& k) {
  return math::detail::chain_rule(k, log_bessel_i0_scaled(k.val), bessel_i1_over_i0(k.val) - 1.0);
}

#if !STATIX_DEVICE_CODE
// Regularised incomplete gamma P(a, x), Q(a, x) and beta I_x(a, b), 1 - I_x(a, b).
inline double gamma_p(double a, double x) {
  return boost::math::gamma_p(a, x, math::detail::boost_policy());
}
inline double gamma_q(double a, double x) {
  return boost::math::gamma_q(a, x, math::detail::boost_policy());
}
inline double ibeta(double a, double b, double x) {
  return boost::math::ibeta(a, b, x, math::detail::boost_policy());
}
inline double ibetac(double a, double b, double x) {
  return boost::math::ibetac(a, b, x, math::detail::boost_policy());
}
inline double owens_t(double h, double a) {
  return boost::math::owens_t(h, a, math::detail::boost_policy());
}
#endif

// log Phi(z) and log(1 - Phi(z)) = log Phi(-z), through log_erfc.
template <class T>
STATIX_HD T log_Phi(const T& z) {
  constexpr double log_half = -0.69314718055994530941723212145817657;
  return log_half + log_erfc(T(-z * 0.70710678118654752440084436210484904));
}

} // namespace statix::dist::detail
