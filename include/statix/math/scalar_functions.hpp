#pragma once

#include "statix/base/macros.hpp"
#include "statix/math/constants.hpp"
#include "statix/math/elementary_functions.hpp"
#include "statix/math/polygamma_series.hpp"
#include "statix/math/scalar_traits.hpp"

// Boost.Math is host-only, so the device compilation pass never sees it.
#if !STATIX_DEVICE_CODE
#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/polygamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#endif

// Special functions of plain scalars (float, double, integers) used by log
// densities: the gamma family from Boost.Math on the host and from CUDA or
// polygamma_series.hpp on the device, and the log-space helpers (log1p_exp,
// log_sum_exp, ...) written to stay accurate in both tails. Bad input gives
// NaN or an infinity, never an exception. Poles follow C99's lgamma:
// lgamma(0) = +inf. Dual overloads live in dual.hpp.
namespace statix::math {

namespace detail {

#if !STATIX_DEVICE_CODE
// Report domain errors, poles and overflow through the returned value (NaN,
// inf) rather than exceptions or errno, and compute doubles in double.
using boost_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::rounding_error<boost::math::policies::ignore_error>,
    boost::math::policies::indeterminate_result_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_double<false>>;
#endif

} // namespace detail

// ---------------------------------------------------------------- gamma family

template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> lgamma(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
#if STATIX_DEVICE_CODE
  return ::lgamma(x);
#else
  if (x != x) {
    return x;
  }
  if (x == infinity<R>() || detail::is_nonpositive_integer(x)) {
    return infinity<R>(); // poles and -inf, as C99 lgamma
  }
  return boost::math::lgamma(x, detail::boost_policy());
#endif
}

template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> digamma(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
#if STATIX_DEVICE_CODE
  return detail::digamma_series(x);
#else
  if (x != x || x == infinity<R>()) {
    return x;
  }
  if (detail::is_nonpositive_integer(x)) {
    return quiet_nan<R>(); // the one-sided limits differ in sign
  }
  return boost::math::digamma(x, detail::boost_policy());
#endif
}

template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> trigamma(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
#if STATIX_DEVICE_CODE
  return detail::trigamma_series(x);
#else
  if (x != x || x == negative_infinity<R>()) {
    return quiet_nan<R>();
  }
  if (x == infinity<R>()) {
    return R(0);
  }
  if (detail::is_nonpositive_integer(x)) {
    return infinity<R>(); // both one-sided limits are +inf
  }
  return boost::math::trigamma(x, detail::boost_policy());
#endif
}

// The n-th derivative of digamma, n >= 0.
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> polygamma(int n, X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
#if STATIX_DEVICE_CODE
  return detail::polygamma_series(n, x);
#else
  if (n == 0) {
    return digamma(x);
  }
  if (n == 1) {
    return trigamma(x);
  }
  if (n < 0 || x != x || x == negative_infinity<R>()) {
    return quiet_nan<R>();
  }
  if (x == infinity<R>()) {
    return R(0);
  }
  if (detail::is_nonpositive_integer(x)) {
    return (n % 2 == 1) ? infinity<R>() : quiet_nan<R>();
  }
  const R result = boost::math::polygamma(n, x, detail::boost_policy());
  if (result == infinity<R>() && n % 2 == 0) {
    // Boost's ignored overflow is always +inf; near a pole x0, psi^(n) for
    // even n has the sign of -(x - x0).
    const R offset = x > R(0) ? x : detail::reduce_half_period(x);
    return offset > R(0) ? negative_infinity<R>() : infinity<R>();
  }
  return result;
#endif
}

template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> tetragamma(X x) {
  return polygamma(2, x);
}

// lgamma(x) minus its Stirling approximation (x - 1/2) log x - x + log sqrt(2 pi):
// the series sum_k B_2k / (2k (2k-1) x^(2k-1)) for x >= 10, else the difference
// itself. Lets lbeta cancel the large parts of lgamma analytically.
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> lgamma_stirling_diff(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
  if (x != x || x < R(0)) {
    return quiet_nan<R>();
  }
  if (x == R(0)) {
    return infinity<R>();
  }
  if (x < R(10)) {
    return lgamma(x) - ((x - R(0.5)) * log(x) - x + R(half_log_two_pi));
  }
  const R inv_x = R(1) / x;
  const R z = inv_x * inv_x;
  return inv_x * (R(1.0 / 12) -
                  z * (R(1.0 / 360) -
                       z * (R(1.0 / 1260) -
                            z * (R(1.0 / 1680) - z * (R(1.0 / 1188) - z * (R(691.0 / 360360) -
                                                                           z * R(1.0 / 156)))))));
}

// log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), without the catastrophic
// cancellation of that sum when a or b is large: the Stirling parts are
// combined analytically and only the small corrections are subtracted
// (the method of Stan Math's lbeta). a, b >= 0.
template <detail::plain_scalar A, detail::plain_scalar B>
STATIX_HD detail::real_of2_t<A, B> lbeta(A a_in, B b_in) {
  using R = detail::real_of2_t<A, B>;
  const R a = static_cast<R>(a_in);
  const R b = static_cast<R>(b_in);
  if (a != a || b != b) {
    return quiet_nan<R>();
  }
  const R x = a < b ? a : b; // smaller
  const R y = a < b ? b : a; // larger
  if (x < R(0)) {
    return quiet_nan<R>();
  }
  if (x == R(0)) {
    return infinity<R>();
  }
  if (y == infinity<R>()) {
    return negative_infinity<R>();
  }
  constexpr R stirling_useful = R(10);
  if (y < stirling_useful) {
    return lgamma(x) + lgamma(y) - lgamma(x + y);
  }
  const R x_over_sum = x / (x + y);
  if (x < stirling_useful) {
    // lgamma(y) - lgamma(x + y) by Stirling, lgamma(x) as is
    const R corrections = lgamma_stirling_diff(y) - lgamma_stirling_diff(x + y);
    const R stirling = (y - R(0.5)) * log1p(-x_over_sum) + x * (R(1) - log(x + y));
    return stirling + lgamma(x) + corrections;
  }
  const R corrections =
      lgamma_stirling_diff(x) + lgamma_stirling_diff(y) - lgamma_stirling_diff(x + y);
  const R stirling = (x - R(0.5)) * log(x_over_sum) + y * log1p(-x_over_sum) + R(half_log_two_pi) -
                     R(0.5) * log(y);
  return stirling + corrections;
}

// log of the binomial coefficient Gamma(n+1) / (Gamma(k+1) Gamma(n-k+1)) for
// real 0 <= k <= n, as -log(n+1) - lbeta(n-k+1, k+1); -inf outside (a zero
// coefficient for integers).
template <detail::plain_scalar N, detail::plain_scalar K>
STATIX_HD detail::real_of2_t<N, K> lchoose(N n_in, K k_in) {
  using R = detail::real_of2_t<N, K>;
  const R n = static_cast<R>(n_in);
  const R k = static_cast<R>(k_in);
  if (n != n || k != k) {
    return quiet_nan<R>();
  }
  if (k < R(0) || k > n) {
    return negative_infinity<R>();
  }
  if (k == R(0) || k == n) {
    return R(0);
  }
  return -log1p(n) - lbeta(n - k + R(1), k + R(1));
}

// ------------------------------------------------------- log-space helpers

// log(1 + x) from one log and one division (Goldberg 1991, theorem 4):
// x / (u - 1) corrects the rounding of u = 1 + x. Within 2 ulp (libm's
// log1p: 1) in about two thirds of glibc's log1p's time (3.7 against 5.4 ns
// a call in a loop), which was 9 % of an eight-schools NUTS run through its
// half-Cauchy prior. For the log1p(z^2) of the Cauchy densities, evaluated
// at every gradient.
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> log1p_via_log(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
  const R u = R(1) + x;
  if (u == R(1)) return x; // log1p(x) = x to rounding
  if (u == infinity<R>()) return u;
  return log(u) * (x / (u - R(1)));
}

// log(1 + exp(x)), accurate in both tails.
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> log1p_exp(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
  if (x > R(0)) {
    return x + log1p(exp(-x));
  }
  return log1p(exp(x));
}

// log(1 - exp(x)) for x <= 0 (Maechler 2012: expm1 near 0, log1p beyond -log 2).
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> log1m_exp(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
  if (x > R(log_half)) {
    return log(-expm1(x)); // NaN for x > 0, -inf at 0
  }
  return log1p(-exp(x));
}

// log(exp(a) + exp(b)); either may be -inf.
template <detail::plain_scalar A, detail::plain_scalar B>
STATIX_HD detail::real_of2_t<A, B> log_sum_exp(A a_in, B b_in) {
  using R = detail::real_of2_t<A, B>;
  const R a = static_cast<R>(a_in);
  const R b = static_cast<R>(b_in);
  if (a == negative_infinity<R>()) {
    return b;
  }
  if (b == negative_infinity<R>()) {
    return a;
  }
  const R larger = a > b ? a : b;
  if (larger == infinity<R>()) {
    return larger;
  }
  return larger + log1p(exp(-fabs(a - b)));
}

// log(exp(a) - exp(b)) for a >= b; -inf when a == b, NaN when a < b.
template <detail::plain_scalar A, detail::plain_scalar B>
STATIX_HD detail::real_of2_t<A, B> log_diff_exp(A a_in, B b_in) {
  using R = detail::real_of2_t<A, B>;
  const R a = static_cast<R>(a_in);
  const R b = static_cast<R>(b_in);
  if (b == negative_infinity<R>()) {
    return a;
  }
  return a + log1m_exp(b - a);
}

// 1 / (1 + exp(-x)), with no cancellation or overflow in either tail.
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> inv_logit(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
  if (x < R(0)) {
    const R exp_x = exp(x);
    if (x < R(log_epsilon)) {
      return exp_x; // 1 + exp(x) rounds to 1
    }
    return exp_x / (R(1) + exp_x);
  }
  return R(1) / (R(1) + exp(-x));
}

template <detail::plain_scalar P>
STATIX_HD detail::real_of_t<P> logit(P p_in) {
  using R = detail::real_of_t<P>;
  const R p = static_cast<R>(p_in);
  return log(p / (R(1) - p));
}

// log(inv_logit(x)) = -log1p_exp(-x).
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> log_inv_logit(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
  if (x < R(0)) {
    return x - log1p(exp(x));
  }
  return -log1p(exp(-x));
}

// log(1 - inv_logit(x)) = -log1p_exp(x).
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> log1m_inv_logit(X x_in) {
  using R = detail::real_of_t<X>;
  const R x = static_cast<R>(x_in);
  if (x > R(0)) {
    return -x - log1p(exp(-x));
  }
  return -log1p(exp(x));
}

// log(1 - x) for x <= 1.
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> log1m(X x_in) {
  using R = detail::real_of_t<X>;
  return log1p(-static_cast<R>(x_in));
}

// Standard normal cdf through erfc, so the lower tail keeps relative accuracy.
template <detail::plain_scalar X>
STATIX_HD detail::real_of_t<X> Phi(X x_in) {
  using R = detail::real_of_t<X>;
  return R(0.5) * erfc(-static_cast<R>(x_in) * R(inv_sqrt_two));
}

// a * log(b) with 0 * log(0) = 0 (the limit), as densities with counts need.
template <detail::plain_scalar A, detail::plain_scalar B>
STATIX_HD detail::real_of2_t<A, B> multiply_log(A a_in, B b_in) {
  using R = detail::real_of2_t<A, B>;
  const R a = static_cast<R>(a_in);
  const R b = static_cast<R>(b_in);
  if (a == R(0) && b == R(0)) {
    return R(0);
  }
  return a * log(b);
}

} // namespace statix::math
