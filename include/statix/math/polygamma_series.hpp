#pragma once

#include "statix/base/macros.hpp"
#include "statix/math/constants.hpp"
#include "statix/math/elementary_functions.hpp"

// Digamma, trigamma and higher polygamma functions from the recurrence
// psi^(n)(x) = psi^(n)(x + 1) + (-1)^(n+1) n! / x^(n+1), which shifts the
// argument up to where the asymptotic (Bernoulli) series converges fast, and
// the reflection formulas for x < 0 (Abramowitz & Stegun 6.3.7, 6.3.18, 6.4.7,
// 6.4.11). This is the device path: Boost.Math is host-only. Plain
// arithmetic only, so the host tests check it against Boost.Math.
namespace statix::math::detail {

// Bernoulli numbers over factorials, B_2j / (2j)!, j = 1..10.
template <class R>
struct bernoulli_over_factorial {
  static constexpr int size = 10;
  STATIX_HD static constexpr R at(int j) {
    constexpr double table[size] = {1.0 / 12.0,
                                    -1.0 / 720.0,
                                    1.0 / 30240.0,
                                    -1.0 / 1209600.0,
                                    1.0 / 47900160.0,
                                    -691.0 / 1307674368000.0,
                                    1.0 / 74724249600.0,
                                    -3617.0 / 10670622842880000.0,
                                    43867.0 / 5109094217170944000.0,
                                    -174611.0 / 802857662698291200000.0};
    return static_cast<R>(table[j - 1]);
  }
};

// x minus its nearest integer, in [-1/2, 1/2]; exact, so that sin(pi x) and
// cot(pi x) keep full accuracy for large |x| (they have period 1 up to sign).
template <class R>
STATIX_HD R reduce_half_period(R x) {
  return x - floor(x + R(0.5));
}

template <class R>
STATIX_HD bool is_nonpositive_integer(R x) {
  return x <= R(0) && x == floor(x);
}

// psi(x) for x >= 10: ln x - 1/(2x) - sum_j B_2j / (2j x^2j), seven terms.
template <class R>
STATIX_HD R digamma_asymptotic(R x) {
  const R inv_x = R(1) / x;
  const R z = inv_x * inv_x;
  const R series =
      z *
      (R(1.0 / 12) -
       z * (R(1.0 / 120) -
            z * (R(1.0 / 252) -
                 z * (R(1.0 / 240) - z * (R(1.0 / 132) - z * (R(691.0 / 32760) - z / R(12)))))));
  return log(x) - R(0.5) * inv_x - series;
}

template <class R>
STATIX_HD R digamma_series(R x) {
  if (x != x || x == infinity<R>()) {
    return x;
  }
  R result = R(0);
  if (x <= R(0)) {
    if (x == floor(x)) {
      return quiet_nan<R>(); // pole (or -inf): the two one-sided limits differ
    }
    // psi(x) = psi(1 - x) - pi cot(pi x)
    result = -R(pi) / tan(R(pi) * reduce_half_period(x));
    x = R(1) - x;
  }
  while (x < R(10)) {
    result -= R(1) / x;
    x += R(1);
  }
  return result + digamma_asymptotic(x);
}

// psi_1(x) for x >= 10: 1/x + 1/(2x^2) + sum_j B_2j / x^(2j+1), eight terms.
template <class R>
STATIX_HD R trigamma_asymptotic(R x) {
  const R inv_x = R(1) / x;
  const R z = inv_x * inv_x;
  const R tail =
      R(1.0 / 6) -
      z * (R(1.0 / 30) -
           z * (R(1.0 / 42) -
                z * (R(1.0 / 30) - z * (R(5.0 / 66) - z * (R(691.0 / 2730) - z * R(7.0 / 6))))));
  return inv_x * (R(1) + inv_x * (R(0.5) + inv_x * tail));
}

template <class R>
STATIX_HD R trigamma_positive(R x) {
  R result = R(0);
  while (x < R(10)) {
    const R inv_x = R(1) / x;
    result += inv_x * inv_x;
    x += R(1);
  }
  return result + trigamma_asymptotic(x);
}

template <class R>
STATIX_HD R trigamma_series(R x) {
  if (x != x) {
    return x;
  }
  if (x == infinity<R>()) {
    return R(0);
  }
  if (x <= R(0)) {
    if (x == negative_infinity<R>()) {
      return quiet_nan<R>();
    }
    if (x == floor(x)) {
      return infinity<R>(); // both one-sided limits are +inf
    }
    // psi_1(1 - x) + psi_1(x) = pi^2 / sin^2(pi x)
    const R s = sin(R(pi) * reduce_half_period(x));
    return R(pi_squared) / (s * s) - trigamma_positive(R(1) - x);
  }
  return trigamma_positive(x);
}

// psi^(n)(x), n >= 2: (-1)^(n+1) n! [sum_k 1/(x+k)^(n+1) + tail(x + m)] with
// tail(y) = 1/(n y^n) + 1/(2 y^(n+1)) + sum_j B_2j/(2j)! (n+1)...(n+2j-1) / y^(n+2j)
// (A&S 6.4.11 divided by n!). Negative non-integer x walks the recurrence up,
// so its cost grows with |x|.
template <class R>
STATIX_HD R polygamma_series(int n, R x) {
  if (n == 0) {
    return digamma_series(x);
  }
  if (n == 1) {
    return trigamma_series(x);
  }
  if (n < 0 || x != x || x == negative_infinity<R>()) {
    return quiet_nan<R>();
  }
  if (x == infinity<R>()) {
    return R(0);
  }
  if (is_nonpositive_integer(x)) {
    // pole: psi^(n) ~ (-1)^(n+1) n! / (x - x0)^(n+1), one sign for odd n only
    return (n % 2 == 1) ? infinity<R>() : quiet_nan<R>();
  }
  R factorial = R(1);
  for (int k = 2; k <= n; ++k) {
    factorial *= R(k);
  }
  const R threshold = R(10 + n);
  R sum = R(0);
  while (x < threshold) {
    const R inv_x = R(1) / x;
    R term = inv_x;
    for (int k = 0; k < n; ++k) {
      term *= inv_x;
    }
    sum += term;
    x += R(1);
  }
  const R inv_x = R(1) / x;
  const R z = inv_x * inv_x;
  R inv_x_pow_n = R(1);
  for (int k = 0; k < n; ++k) {
    inv_x_pow_n *= inv_x;
  }
  // q_j = (n+1)(n+2)...(n+2j-1) / x^(2j), so the tail is inv_x^n (1/n + inv_x/2 + sum_j b_j q_j)
  R tail = R(1) / R(n) + R(0.5) * inv_x;
  R q = R(n + 1) * z;
  for (int j = 1; j <= bernoulli_over_factorial<R>::size; ++j) {
    const R term = bernoulli_over_factorial<R>::at(j) * q;
    tail += term;
    if (term < R(1e-18) * tail && -term < R(1e-18) * tail) {
      break;
    }
    q *= R(n + 2 * j) * R(n + 2 * j + 1) * z;
  }
  const R sign = (n % 2 == 1) ? R(1) : R(-1);
  return sign * factorial * (sum + inv_x_pow_n * tail);
}

} // namespace statix::math::detail
