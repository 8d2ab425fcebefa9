#pragma once

// Small building blocks shared by the log densities: argument checks, the
// "reject" path (-inf with zero partials), 0 log 0 = 0 (math::multiply_log when
// the logarithm is not already at hand), and the Stirling-series
// pieces that keep the discrete densities accurate for large counts.

#include "statix/base/macros.hpp"
#include "statix/math/constants.hpp"
#include "statix/math/functions.hpp"

namespace statix::dist::detail {

// Checks are made on plain values, so they read the same for doubles and duals.
template <class T>
STATIX_HD STATIX_ALWAYS_INLINE double value(const T& x) {
  return static_cast<double>(math::value_of(x));
}
template <class T>
STATIX_HD STATIX_ALWAYS_INLINE bool is_finite(const T& x) {
  return math::is_finite(value(x));
}
template <class T>
STATIX_HD STATIX_ALWAYS_INLINE bool is_nan(const T& x) {
  return math::is_nan(value(x));
}
// (0, inf): scales, rates, shapes.
template <class T>
STATIX_HD STATIX_ALWAYS_INLINE bool is_positive_finite(const T& x) {
  const double v = value(x);
  return v > 0.0 && math::is_finite(v);
}
// [0, 1]: probabilities (NaN fails).
template <class T>
STATIX_HD STATIX_ALWAYS_INLINE bool is_probability(const T& x) {
  const double v = value(x);
  return v >= 0.0 && v <= 1.0;
}

// Sets every requested partial to 0 (the densities' rule wherever the value is
// not finite). `Mask` holds the real arguments that vary (integer arguments
// never get a slot written).
template <unsigned Mask, bool Grad, class T>
STATIX_HD STATIX_ALWAYS_INLINE void zero_partials(T* d) {
  if constexpr (Grad && Mask != 0u) {
    for (int k = 0; k < 8; ++k) {
      if ((Mask >> k) & 1u) d[k] = T(0.0);
    }
  }
}

// The value of an impossible event: -inf, with the requested partials 0, so that
// a sampler sees a rejected point, never a NaN.
template <unsigned Mask, bool Grad, class T>
STATIX_HD STATIX_ALWAYS_INLINE T reject(T* d) {
  zero_partials<Mask, Grad>(d);
  return math::negative_infinity<T>();
}

// a * log_b, where log_b is the logarithm of some b >= 0, with 0 * log 0 = 0:
// the limit that keeps densities with a zero exponent finite at the boundary of
// their support (gamma(0 | 1, beta), beta(1 | 1, b), binomial with theta = 0).
template <class A, class B>
STATIX_HD STATIX_ALWAYS_INLINE B times_log(const A& a, const B& log_b) {
  if (value(a) == 0.0 && value(log_b) == math::negative_infinity<double>()) return B(0.0);
  return a * log_b;
}

// Remainder of Stirling's approximation,
//   lgamma(z) = (z - 1/2) log z - z + log(2 pi)/2 + stirling_correction(z),
// from the asymptotic series sum_k B_2k / (2k (2k-1) z^(2k-1)) (Abramowitz &
// Stegun 6.1.41). Six terms are accurate to 1e-15 absolute for z >= 10; below
// that the definition is evaluated with lgamma (absolute error ~1e-15 there).
template <class T>
STATIX_HD T stirling_correction(const T& z) {
  if (value(z) >= 10.0) {
    const T w = math::inv(z * z);
    const T s =
        1.0 / 12 +
        w * (-1.0 / 360 +
             w * (1.0 / 1260 + w * (-1.0 / 1680 + w * (1.0 / 1188 + w * (-691.0 / 360360)))));
    return s / z;
  }
  constexpr double half_log_two_pi = math::half_log_two_pi; // local: device code
  return math::lgamma(z) - (z - 0.5) * math::log(z) + z - half_log_two_pi;
}

// lgamma(x + a) - lgamma(x) for x > 0, x + a > 0. For x and x + a >= 10 the
// Stirling form avoids subtracting two large lgamma values (lgamma(1e12) is
// 2.6e13, whose rounding alone is 4e-3):
//   (x - 1/2) log1p(a / x) + a log(x + a) - a + corr(x + a) - corr(x).
template <class T>
STATIX_HD T lgamma_shift(const T& x, const T& a) {
  const T xa = x + a;
  if (value(x) >= 10.0 && value(xa) >= 10.0) {
    return (x - 0.5) * math::log1p(a / x) + a * math::log(xa) - a + stirling_correction(xa) -
           stirling_correction(x);
  }
  return math::lgamma(xa) - math::lgamma(x);
}

// Tail of the asymptotic series of digamma,
//   digamma(z) = log z - 1/(2z) - sum_k B_2k / (2k z^2k)   (A&S 6.3.18);
// six terms of the sum: 1e-15 absolute for z >= 10.
template <class T>
STATIX_HD T digamma_series_tail(const T& z) {
  const T w = math::inv(z * z);
  return w * (1.0 / 12 +
              w * (-1.0 / 120 +
                   w * (1.0 / 252 + w * (-1.0 / 240 + w * (1.0 / 132 + w * (-691.0 / 32760))))));
}

// digamma(x + a) - digamma(x) for x > 0, x + a > 0: a short sum of
// reciprocals when a is a small integer (no cancellation), the difference of
// the asymptotic series for large x (where the two digammas nearly cancel),
//   log1p(a / x) + a / (2 x (x + a)) - (tail(x + a) - tail(x)),
// else digamma directly.
template <class T>
STATIX_HD T digamma_shift(const T& x, double a) {
  if (a >= 0.0 && a <= 8.0 && a == math::floor(a)) {
    T s(0.0);
    for (int j = 0; j < int(a); ++j)
      s = s + math::inv(x + double(j));
    return s;
  }
  const T xa = x + a;
  if (value(x) >= 10.0 && value(xa) >= 10.0) {
    return math::log1p(a / x) + a / (2.0 * x * xa) -
           (digamma_series_tail(xa) - digamma_series_tail(x));
  }
  return math::digamma(xa) - math::digamma(x);
}

// Poisson deviance term bd0(x, m) = x log(x / m) + m - x >= 0 for x > 0, m >= 0,
// given log m as well (it stays finite when m underflows). Near x = m the
// direct form cancels; there the series in v = (x - m) / (x + m),
//   bd0 = (x - m) v + 2 x sum_{j>=1} v^(2j+1) / (2j + 1),
// is used (Loader 2000, "Fast and accurate computation of binomial
// probabilities").
template <class T>
STATIX_HD T poisson_deviance(double x, const T& m, const T& log_m) {
  const T d = x - m;
  if (math::abs(value(d)) < 0.1 * (x + value(m))) {
    const T v = d / (x + m);
    const T v2 = v * v;
    T vpow = v * v2;
    T s = vpow / 3.0;
    for (int j = 2; j < 40; ++j) {
      vpow = vpow * v2;
      const T term = vpow / double(2 * j + 1);
      if (value(s) + value(term) == value(s)) break;
      s = s + term;
    }
    return d * v + 2.0 * x * s;
  }
  return x * (math::log(x) - log_m) + m - x;
}

// log of the binomial probability C(n, k) p^k q^(n-k) for 0 < k < n in
// Loader's saddle-point form,
//   corr(n) - corr(k) - corr(n - k) + log(n / (2 pi k (n - k))) / 2
//   - bd0(k, n p) - bd0(n - k, n q),
// which keeps full relative accuracy for large n where lchoose(n, k) and
// k log p nearly cancel (Loader 2000). np, nq and their logarithms are given
// so that logit parameterisations pass log n + log_inv_logit(alpha) exactly.
template <class T>
STATIX_HD T binomial_saddle_point(int k, int n, const T& np, const T& nq, const T& log_np,
                                  const T& log_nq) {
  const double kd = k, nd = n, rd = n - k;
  const double constant = stirling_correction(nd) - stirling_correction(kd) -
                          stirling_correction(rd) + 0.5 * math::log(nd / (kd * rd)) -
                          math::half_log_two_pi;
  return constant - poisson_deviance(kd, np, log_np) - poisson_deviance(rd, nq, log_nq);
}

// log of the Poisson probability lambda^k exp(-lambda) / k! for k >= 1 in the
// same saddle-point form: -bd0(k, lambda) - log(2 pi k) / 2 - corr(k).
template <class T>
STATIX_HD T poisson_saddle_point(int k, const T& lambda, const T& log_lambda) {
  const double kd = k;
  return -poisson_deviance(kd, lambda, log_lambda) -
         (math::half_log_two_pi + 0.5 * math::log(kd) + stirling_correction(kd));
}

} // namespace statix::dist::detail
