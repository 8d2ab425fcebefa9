// Plain special functions against Boost.Math evaluated in long double, the C
// library's long double functions, and closed forms.
#include <catch2/catch.hpp>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/polygamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <boost/math/special_functions/zeta.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>
#include <type_traits>

#include "statix/math/functions.hpp"

namespace m = statix::math;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// |actual - expected| <= rel |expected| + abs, printing both on failure.
bool close(double actual, long double expected, double rel, double abs = 0) {
  if (std::fabs(expected) > DBL_MAX) { // overflows double: an infinity of the same sign
    return std::isinf(actual) && (actual > 0) == (expected > 0);
  }
  const long double error = std::fabs(static_cast<long double>(actual) - expected);
  const bool ok = error <= rel * std::fabs(expected) + abs;
  if (!ok) {
    UNSCOPED_INFO("actual " << actual << " expected " << static_cast<double>(expected)
                            << " relative error "
                            << static_cast<double>(error / std::fabs(expected)));
  }
  return ok;
}

} // namespace

TEST_CASE("constants agree with std::numbers and Boost.Math constants", "[math]") {
  namespace bc = boost::math::constants;
  CHECK(m::pi == std::numbers::pi);
  CHECK(m::two_pi == bc::two_pi<double>());
  CHECK(m::half_pi == bc::half_pi<double>());
  CHECK(m::pi_squared == bc::pi_sqr<double>());
  CHECK(m::e == std::numbers::e);
  CHECK(m::log_pi == static_cast<double>(std::log(bc::pi<long double>())));
  CHECK(m::log_two == std::numbers::ln2);
  CHECK(m::log_half == -std::numbers::ln2);
  CHECK(m::log_ten == std::numbers::ln10);
  CHECK(m::log_two_pi == static_cast<double>(std::log(bc::two_pi<long double>())));
  CHECK(m::half_log_two_pi == bc::log_root_two_pi<double>());
  CHECK(m::log_sqrt_two_pi == bc::log_root_two_pi<double>());
  CHECK(m::log_sqrt_pi == static_cast<double>(std::log(bc::root_pi<long double>())));
  CHECK(m::sqrt_two == std::numbers::sqrt2);
  CHECK(m::inv_sqrt_two == bc::one_div_root_two<double>());
  CHECK(m::sqrt_pi == bc::root_pi<double>());
  CHECK(m::inv_sqrt_pi == std::numbers::inv_sqrtpi);
  CHECK(m::two_over_sqrt_pi == bc::two_div_root_pi<double>());
  CHECK(m::sqrt_two_pi == bc::root_two_pi<double>());
  CHECK(m::inv_sqrt_two_pi == bc::one_div_root_two_pi<double>());
  CHECK(m::euler_gamma == std::numbers::egamma);
  CHECK(m::epsilon == DBL_EPSILON);
  CHECK(m::log_epsilon == static_cast<double>(std::log(static_cast<long double>(DBL_EPSILON))));
}

TEST_CASE("elementary functions: types, values and classification", "[math]") {
  STATIC_REQUIRE(std::is_same_v<decltype(m::log(1.0f)), float>);
  STATIC_REQUIRE(std::is_same_v<decltype(m::log(2)), double>);
  STATIC_REQUIRE(std::is_same_v<decltype(m::lgamma(2.5f)), float>);
  STATIC_REQUIRE(std::is_same_v<decltype(m::pow(2.0f, 3)), float>);
  STATIC_REQUIRE(std::is_same_v<decltype(m::pow(2.0f, 3.0)), double>);
  STATIC_REQUIRE(std::is_same_v<decltype(m::lbeta(2, 3)), double>);
  CHECK(m::exp(1.0) == std::exp(1.0));
  CHECK(m::log(10) == std::log(10.0));
  CHECK(m::sqrt(2.0f) == std::sqrt(2.0f));
  CHECK(m::pow(2, 10) == 1024.0);
  CHECK(m::pow(2.0, 0.5) == std::sqrt(2.0));
  CHECK(m::square(-3) == 9.0);
  CHECK(m::inv(4.0) == 0.25);
  CHECK(m::abs(-3) == 3.0);
  CHECK(m::fabs(-2.5) == 2.5);
  CHECK(m::tanh(0.5) == std::tanh(0.5));
  CHECK(m::floor(-1.5) == -2.0);
  CHECK(m::ceil(-1.5) == -1.0);
  CHECK(m::is_finite(1.0));
  CHECK_FALSE(m::is_finite(inf));
  CHECK_FALSE(m::is_finite(not_a_number));
  CHECK(m::is_nan(not_a_number));
  CHECK_FALSE(m::is_nan(inf));
  CHECK(m::infinity<double>() == inf);
  CHECK(m::negative_infinity<float>() == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(m::quiet_nan<double>()));
  CHECK(m::value_of(2.5) == 2.5);
}

TEST_CASE("lgamma matches Boost.Math in long double and factorials", "[math]") {
  for (double x : {1e-300, 1e-10, 0.1, 0.5, 1.5, 2.5, 3.7, 10.0, 100.5, 1e5, 1e15, 1e300, -0.5,
                   -2.5, -100.3}) {
    INFO("x = " << x);
    CHECK(close(m::lgamma(x), boost::math::lgamma(static_cast<long double>(x)), 2e-15));
  }
  double factorial = 1;
  for (int n = 1; n <= 22; ++n) {
    INFO("n = " << n);
    CHECK(close(m::lgamma(n), std::log(static_cast<long double>(factorial)), 1e-15, 1e-16));
    factorial *= n;
  }
  CHECK(close(m::lgamma(0.5), std::log(std::sqrt(std::numbers::pi_v<long double>)), 1e-15));
  CHECK(m::lgamma(0.0) == inf);
  CHECK(m::lgamma(-3.0) == inf);
  CHECK(m::lgamma(-inf) == inf);
  CHECK(m::lgamma(inf) == inf);
  CHECK(std::isnan(m::lgamma(not_a_number)));
  CHECK(close(m::lgamma(3.5f), std::log(3.32335097044784255118406403895f), 1e-6));
}

TEST_CASE("digamma, trigamma and polygamma match Boost.Math and closed forms", "[math]") {
  using ld = long double;
  for (double x : {1e-300, 1e-8, 0.1, 0.5, 1.0, 1.4616321449683622, 2.5, 9.5, 10.0, 33.3, 1e6, 1e20,
                   -0.5, -2.3, -10.7}) {
    INFO("x = " << x);
    CHECK(close(m::digamma(x), boost::math::digamma(static_cast<ld>(x)), 1e-14, 1e-15));
    CHECK(close(m::trigamma(x), boost::math::trigamma(static_cast<ld>(x)), 1e-14));
    for (int n = 2; n <= 5; ++n) {
      INFO("n = " << n);
      CHECK(close(m::polygamma(n, x), boost::math::polygamma(n, static_cast<ld>(x)), 1e-13));
    }
  }
  const ld gamma = std::numbers::egamma_v<ld>;
  const ld pi = std::numbers::pi_v<ld>;
  CHECK(close(m::digamma(1.0), -gamma, 1e-15));
  CHECK(close(m::digamma(0.5), -gamma - 2 * std::log(2.0L), 1e-15));
  ld harmonic = 0;
  for (int n = 1; n <= 30; ++n) {
    harmonic += 1.0L / n;
    CHECK(close(m::digamma(n + 1), -gamma + harmonic, 1e-15));
  }
  CHECK(close(m::trigamma(1.0), pi * pi / 6, 1e-15));
  CHECK(close(m::trigamma(0.5), pi * pi / 2, 1e-15));
  CHECK(close(m::polygamma(2, 1.0), -2 * boost::math::zeta(3.0L), 1e-15));
  CHECK(close(m::tetragamma(1.0), -2 * boost::math::zeta(3.0L), 1e-15));
  CHECK(close(m::polygamma(3, 1.0), pi * pi * pi * pi / 15, 1e-15));
  CHECK(m::polygamma(0, 2.5) == m::digamma(2.5));
  CHECK(m::polygamma(1, 2.5) == m::trigamma(2.5));
  // poles, infinities, NaN: values instead of exceptions
  CHECK(std::isnan(m::digamma(0.0)));
  CHECK(std::isnan(m::digamma(-2.0)));
  CHECK(m::digamma(inf) == inf);
  CHECK(std::isnan(m::digamma(-inf)));
  CHECK(m::trigamma(0.0) == inf);
  CHECK(m::trigamma(-3.0) == inf);
  CHECK(m::trigamma(inf) == 0.0);
  CHECK(std::isnan(m::trigamma(not_a_number)));
  CHECK(m::polygamma(3, -1.0) == inf);
  CHECK(std::isnan(m::polygamma(2, -1.0)));
  CHECK(std::isnan(m::polygamma(2, -1e300)));
  CHECK(std::isnan(m::polygamma(2, not_a_number)));
  CHECK(m::polygamma(2, inf) == 0.0);
  CHECK(std::isnan(m::polygamma(-1, 1.0)));
}

TEST_CASE("lgamma_stirling_diff is lgamma minus Stirling's formula", "[math]") {
  using ld = long double;
  for (double x : {0.5, 1.0, 5.0, 9.99, 10.0, 10.01, 25.0, 100.0}) {
    INFO("x = " << x);
    const ld xl = x;
    const ld stirling =
        (xl - 0.5L) * std::log(xl) - xl + 0.5L * std::log(2 * std::numbers::pi_v<ld>);
    CHECK(close(m::lgamma_stirling_diff(x), boost::math::lgamma(xl) - stirling, 1e-12));
  }
  // x * diff -> 1/12 (the first Bernoulli term), with the next term -1/(360 x^3)
  for (double x : {1e4, 1e8, 1e150}) {
    CHECK(close(m::lgamma_stirling_diff(x), 1.0L / (12 * x) - 1.0L / (360.0L * x * x * x), 1e-15));
  }
  CHECK(m::lgamma_stirling_diff(0.0) == inf);
  CHECK(std::isnan(m::lgamma_stirling_diff(-1.0)));
}

TEST_CASE("lbeta: Boost's beta, the lgamma sum and closed forms up to huge arguments", "[math]") {
  using ld = long double;
  const double grid[] = {0.1, 0.5, 1.0, 2.5, 7.0, 12.0, 15.0, 40.0};
  for (double a : grid) {
    for (double b : grid) {
      INFO("a = " << a << ", b = " << b);
      CHECK(close(m::lbeta(a, b),
                  std::log(boost::math::beta(static_cast<ld>(a), static_cast<ld>(b))), 1e-14,
                  1e-15));
      const ld lgamma_sum = boost::math::lgamma(static_cast<ld>(a)) +
                            boost::math::lgamma(static_cast<ld>(b)) -
                            boost::math::lgamma(static_cast<ld>(a) + b);
      CHECK(close(m::lbeta(a, b), lgamma_sum, 1e-14, 1e-15));
      CHECK(m::lbeta(a, b) == m::lbeta(b, a));
    }
  }
  // B(1, b) = 1/b, B(2, b) = 1/(b(b+1)), B(3, b) = 2/(b(b+1)(b+2)): exact in any range
  for (double b : {1e-5, 0.5, 3.0, 11.0, 1e5, 1e10, 1e15, 1e100, 1e300}) {
    INFO("b = " << b);
    const ld bl = b;
    CHECK(close(m::lbeta(1.0, b), -std::log(bl), 1e-15));
    if (b < 1e150) {
      CHECK(close(m::lbeta(2.0, b), -std::log(bl) - std::log1p(bl), 1e-15));
      CHECK(close(m::lbeta(b, 3.0),
                  std::log(2.0L) - std::log(bl) - std::log1p(bl) - std::log(bl + 2), 1e-15, 1e-16));
    }
  }
  // one small, one large: lgamma(a) + log(Gamma(b) / Gamma(b + a)) with Boost's
  // tgamma_delta_ratio in long double (which itself drifts beyond b ~ 1e8)
  for (double a : {0.001, 0.5, 3.3, 9.9, 20.5}) {
    for (double b : {15.0, 1e3, 1e5, 1e7}) {
      INFO("a = " << a << ", b = " << b);
      const ld al = a;
      const ld reference = boost::math::lgamma(al) +
                           std::log(boost::math::tgamma_delta_ratio(static_cast<ld>(b), al));
      CHECK(close(m::lbeta(a, b), reference, 1e-14, 1e-15));
    }
  }
  // integer a: B(a, b) = (a-1)! / (b (b+1) ... (b+a-1)), for any b
  for (int a : {5, 12, 20}) {
    for (double b : {10.5, 1e4, 1e12, 1e50, 1e300}) {
      INFO("a = " << a << ", b = " << b);
      ld reference = 0;
      for (int k = 1; k < a; ++k) {
        reference += std::log(static_cast<ld>(k)) - std::log(static_cast<ld>(b) + (k - 1));
      }
      reference -= std::log(static_cast<ld>(b) + (a - 1));
      CHECK(close(m::lbeta(static_cast<double>(a), b), reference, 1e-14));
    }
  }
  // both large: the lgamma sum in long double keeps ~19 digits of lgamma ~ 2e11,
  // enough where lbeta itself is large
  for (double a : {1e10, 3e7, 5e8}) {
    for (double b : {1e10, 5e8, 3e7}) {
      INFO("a = " << a << ", b = " << b);
      const ld al = a;
      const ld bl = b;
      const ld reference =
          boost::math::lgamma(al) + boost::math::lgamma(bl) - boost::math::lgamma(al + bl);
      CHECK(close(m::lbeta(a, b), reference, 1e-14));
    }
  }
  CHECK(m::lbeta(0.0, 1.0) == inf);
  CHECK(std::isnan(m::lbeta(-1.0, 2.0)));
  CHECK(std::isnan(m::lbeta(not_a_number, 2.0)));
  CHECK(m::lbeta(1.0, inf) == -inf);
}

TEST_CASE("lchoose: exact binomial coefficients and large n", "[math]") {
  for (int n = 0; n <= 60; n += 3) {
    unsigned long long coefficient = 1; // C(n, k) built row-wise, exact for n <= 60
    for (int k = 0; k <= n; ++k) {
      INFO("n = " << n << ", k = " << k);
      CHECK(close(m::lchoose(n, k), std::log(static_cast<long double>(coefficient)), 1e-14, 1e-14));
      coefficient = coefficient * (n - k) / (k + 1);
    }
  }
  for (double n : {1e6, 1e12, 1e15}) {
    const long double nl = n;
    CHECK(close(m::lchoose(n, 1.0), std::log(nl), 1e-15));
    CHECK(close(m::lchoose(n, 2.0), std::log(nl) + std::log(nl - 1) - std::log(2.0L), 1e-15));
    CHECK(close(m::lchoose(n, n - 1), std::log(nl), 1e-15));
  }
  CHECK(close(m::lchoose(5.5, 2.0), std::log(5.5L * 4.5L / 2), 1e-15));
  CHECK(m::lchoose(5, 6) == -inf);
  CHECK(m::lchoose(5, -1) == -inf);
  CHECK(std::isnan(m::lchoose(not_a_number, 1.0)));
}

TEST_CASE("log1p_via_log is within 2 ulp of log1p over the whole domain", "[math]") {
  // Against the C library's long double log1pl, on x = -(1 - 10^-k) ... 10^300
  // in 60,000 log-spaced points of each sign, and at the edges.
  double worst_ulp = 0;
  const auto check_at = [&](double x) {
    const double expected = static_cast<double>(log1pl(static_cast<long double>(x)));
    const double ulp = std::nextafter(std::fabs(expected), inf) - std::fabs(expected);
    worst_ulp = std::max(worst_ulp, std::fabs(m::log1p_via_log(x) - expected) / ulp);
  };
  for (int i = 0; i <= 60000; ++i) {
    const double t = -300.0 + i * (600.0 / 60000.0);
    check_at(std::pow(10.0, t));
    if (t < 0) check_at(-std::pow(10.0, t));
    if (t < -1e-9) check_at(-1.0 + std::pow(10.0, t / 20.0 - 1e-3));
  }
  CHECK(worst_ulp <= 2.0);
  CHECK(m::log1p_via_log(0.0) == 0.0);
  CHECK(m::log1p_via_log(1e-300) == 1e-300);
  CHECK(m::log1p_via_log(inf) == inf);
  CHECK(m::log1p_via_log(-1.0) == -inf);
  CHECK(std::isnan(m::log1p_via_log(-2.0)));
  CHECK(std::isnan(m::log1p_via_log(not_a_number)));
  CHECK(m::log1p_via_log(DBL_MAX) == std::log1p(DBL_MAX));
  static_assert(std::is_same_v<decltype(m::log1p_via_log(1.0f)), float>);
}

TEST_CASE("log1p_exp, log1m_exp and log1m in both tails", "[math]") {
  for (double x : {-700.0, -40.0, -30.0, -5.0, -0.5, 0.0, 0.5, 5.0, 30.0, 40.0, 700.0}) {
    INFO("x = " << x);
    CHECK(close(m::log1p_exp(x), std::log1p(std::exp(static_cast<long double>(x))), 1e-15));
  }
  CHECK(m::log1p_exp(800.0) == 800.0);
  CHECK(m::log1p_exp(-800.0) == 0.0); // e^-800 is below the smallest double
  CHECK(close(m::log1p_exp(-30.0), std::exp(-30.0L) - std::exp(-60.0L) / 2, 1e-15));
  CHECK(m::log1p_exp(inf) == inf);
  CHECK(m::log1p_exp(-inf) == 0.0);

  for (double x : {-1e-10, -1e-5, -0.1, -0.69, -0.7, -1.0, -5.0, -40.0, -700.0}) {
    INFO("x = " << x);
    const long double reference = x > -0.69315L
                                      ? std::log(-std::expm1(static_cast<long double>(x)))
                                      : std::log1p(-std::exp(static_cast<long double>(x)));
    CHECK(close(m::log1m_exp(x), reference, 1e-15));
  }
  // log(1 - e^x) = log(-x) + x/2 + O(x^2) near 0
  CHECK(close(m::log1m_exp(-1e-20), std::log(1e-20L) - 0.5e-20L, 1e-15));
  CHECK(close(m::log1m_exp(-1e-300), std::log(1e-300L), 1e-15));
  CHECK(m::log1m_exp(0.0) == -inf);
  CHECK(std::isnan(m::log1m_exp(1.0)));
  CHECK(m::log1m_exp(-inf) == 0.0);

  for (double x : {-1e10, -3.0, -1e-12, 0.3, 0.999999}) {
    CHECK(close(m::log1m(x), std::log1p(-static_cast<long double>(x)), 1e-15));
  }
  CHECK(m::log1m(1.0) == -inf);
  CHECK(std::isnan(m::log1m(2.0)));
}

TEST_CASE("log_sum_exp and log_diff_exp with infinities and far-apart arguments", "[math]") {
  using ld = long double;
  const double points[] = {-700.0, -30.0, -1.0, 0.0, 2.5, 30.0, 700.0};
  for (double a : points) {
    for (double b : points) {
      INFO("a = " << a << ", b = " << b);
      const ld ea = std::exp(static_cast<ld>(a));
      const ld eb = std::exp(static_cast<ld>(b));
      CHECK(close(m::log_sum_exp(a, b), std::log(ea + eb), 1e-15, 1e-15));
      if (a > b) {
        CHECK(close(m::log_diff_exp(a, b), std::log(ea - eb), 1e-15, 1e-15));
      }
    }
  }
  CHECK(close(m::log_sum_exp(1000.0, 1000.0), 1000.0L + std::log(2.0L), 1e-16));
  CHECK(close(m::log_sum_exp(-1000.0, -1001.0), -1000.0L + std::log1p(std::exp(-1.0L)), 1e-16));
  CHECK(m::log_sum_exp(-inf, 3.0) == 3.0);
  CHECK(m::log_sum_exp(3.0, -inf) == 3.0);
  CHECK(m::log_sum_exp(-inf, -inf) == -inf);
  CHECK(m::log_sum_exp(inf, 1.0) == inf);
  CHECK(m::log_sum_exp(inf, inf) == inf);
  CHECK(std::isnan(m::log_sum_exp(not_a_number, 1.0)));

  CHECK(close(m::log_diff_exp(1000.0, 999.0), 1000.0L + std::log1p(-std::exp(-1.0L)), 1e-16));
  CHECK(close(m::log_diff_exp(0.0, -1e-20), std::log(1e-20L), 1e-15));
  CHECK(m::log_diff_exp(2.0, -inf) == 2.0);
  CHECK(m::log_diff_exp(-inf, -inf) == -inf);
  CHECK(m::log_diff_exp(1.0, 1.0) == -inf);
  CHECK(std::isnan(m::log_diff_exp(0.0, 1.0)));
  CHECK(m::log_diff_exp(inf, 1.0) == inf);
}

TEST_CASE("inv_logit, logit and their logs in both tails", "[math]") {
  using ld = long double;
  for (double x : {-700.0, -40.0, -36.5, -20.0, -1.0, 0.0, 0.7, 20.0, 36.0, 40.0}) {
    INFO("x = " << x);
    const ld xl = x;
    CHECK(close(m::inv_logit(x), 1 / (1 + std::exp(-xl)), 1e-15));
    CHECK(close(m::log_inv_logit(x), -std::log1p(std::exp(-xl)), 1e-15));
    CHECK(close(m::log1m_inv_logit(x), -std::log1p(std::exp(xl)), 1e-15));
  }
  CHECK(m::inv_logit(-700.0) > 0.0);
  CHECK(close(m::inv_logit(-700.0), std::exp(-700.0L), 1e-15));
  // e^-800 rounds to 0 in double; the log versions keep the tail
  CHECK(m::inv_logit(-800.0) == 0.0);
  CHECK(m::inv_logit(800.0) == 1.0);
  CHECK(m::log_inv_logit(-800.0) == -800.0);
  CHECK(m::log_inv_logit(800.0) == 0.0);
  CHECK(m::log1m_inv_logit(800.0) == -800.0);
  CHECK(m::log1m_inv_logit(-800.0) == 0.0);
  CHECK(m::inv_logit(inf) == 1.0);
  CHECK(m::inv_logit(-inf) == 0.0);
  CHECK(std::isnan(m::inv_logit(not_a_number)));

  for (double p : {1e-300, 1e-10, 0.2, 0.5, 0.9, 1 - 1e-10}) {
    INFO("p = " << p);
    const ld pl = p;
    CHECK(close(m::logit(p), std::log(pl / (1 - pl)), 1e-15, 1e-16));
  }
  CHECK(m::logit(0.0) == -inf);
  CHECK(m::logit(1.0) == inf);
  CHECK(close(m::logit(m::inv_logit(3.25)), 3.25, 1e-15));
}

TEST_CASE("erf, erfc and Phi against Boost.Math in long double", "[math]") {
  using ld = long double;
  const boost::math::normal_distribution<ld> standard_normal;
  for (double x : {-37.5, -20.0, -5.0, -1.0, 0.0, 0.3, 1.0, 5.0, 8.0}) {
    INFO("x = " << x);
    const ld xl = x;
    CHECK(close(m::erf(x), boost::math::erf(xl), 1e-15, 1e-300));
    CHECK(close(m::erfc(x), boost::math::erfc(xl), 2e-15));
    // the relative condition number of Phi grows like x^2 in the lower tail
    CHECK(close(m::Phi(x), boost::math::cdf(standard_normal, xl), 2e-16 * (2 + x * x)));
  }
  CHECK(m::Phi(-inf) == 0.0);
  CHECK(m::Phi(inf) == 1.0);
  CHECK(m::Phi(0.0) == 0.5);
}

TEST_CASE("multiply_log takes 0 log 0 as 0", "[math]") {
  CHECK(m::multiply_log(0.0, 0.0) == 0.0);
  CHECK(m::multiply_log(0, 5.0) == 0.0);
  CHECK(m::multiply_log(2.0, 3.0) == 2 * std::log(3.0));
  CHECK(m::multiply_log(1.0, 0.0) == -inf);
}
