// Forward-mode duals: every function's tangent against central finite
// differences of the plain function, second derivatives of nested duals
// against finite differences of the first, and the arithmetic against closed forms.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "statix/math/functions.hpp"

namespace m = statix::math;
using d1 = m::dual<double, 1>;
using d2 = m::dual<double, 2>;
using d3 = m::dual<double, 3>;
using dd = m::dual<d1, 1>;
using dd2 = m::dual<d2, 2>;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Five-point central difference, error O(h^4) + O(eps / h).
template <class F>
double finite_difference(F f, double x) {
  const double h = 1e-3 * std::max(std::fabs(x), 1e-2);
  return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
}

bool close(double actual, double expected, double rel = 1e-7, double abs = 1e-9) {
  const bool ok = std::fabs(actual - expected) <= rel * std::fabs(expected) + abs;
  if (!ok) {
    UNSCOPED_INFO("actual " << actual << " expected " << expected);
  }
  return ok;
}

// x as a dual with a tangent in every lane: (1, 0, -2.5).
d3 seeded(double x) {
  d3 r(x);
  r.tan[0] = 1;
  r.tan[1] = 0;
  r.tan[2] = -2.5;
  return r;
}

// x as a second-order dual: value x, inner and outer tangents 1.
dd seeded2(double x) {
  dd r(d1::variable(x, 0));
  r.tan[0] = d1(1.0);
  return r;
}

// f applied to double, d3 and dd: value, tangents in all lanes, and the
// second derivative against a finite difference of the first.
template <class F>
void check_unary(const char* name, F f, std::initializer_list<double> points) {
  for (double x : points) {
    INFO(name << " at x = " << x);
    const double value = f(x);
    const double first = finite_difference([&](double y) { return f(y); }, x);

    const d3 r = f(seeded(x));
    CHECK(r.val == value);
    CHECK(close(r.tan[0], first));
    CHECK(r.tan[1] == 0.0);
    CHECK(close(r.tan[2], -2.5 * first));

    const auto first_ad = [&](double y) { return f(d1::variable(y, 0)).tan[0]; };
    const double second = finite_difference(first_ad, x);
    const dd r2 = f(seeded2(x));
    CHECK(r2.val.val == value);
    CHECK(close(r2.val.tan[0], r2.tan[0].val, 1e-14, 1e-300));
    CHECK(close(r2.tan[0].val, first));
    CHECK(close(r2.tan[0].tan[0], second));
  }
}

// f(a, b) for dual/dual, dual/double, double/dual: gradient against finite
// differences, Hessian (nested duals) against finite differences of the gradient.
template <class F>
void check_binary(const char* name, F f, std::initializer_list<std::pair<double, double>> points) {
  for (auto [a, b] : points) {
    INFO(name << " at (" << a << ", " << b << ")");
    const double value = f(a, b);
    const double da = finite_difference([&](double y) { return f(y, b); }, a);
    const double db = finite_difference([&](double y) { return f(a, y); }, b);

    const d2 r = f(d2::variable(a, 0), d2::variable(b, 1));
    CHECK(r.val == value);
    CHECK(close(r.tan[0], da));
    CHECK(close(r.tan[1], db));

    const d1 ra = f(d1::variable(a, 0), b);
    CHECK(ra.val == value);
    CHECK(close(ra.tan[0], r.tan[0], 1e-14, 1e-300));
    const d1 rb = f(a, d1::variable(b, 0));
    CHECK(rb.val == value);
    CHECK(close(rb.tan[0], r.tan[1], 1e-14, 1e-300));

    // Hessian: lane i of the outer level seeds coordinate i, as does the inner level.
    dd2 x(d2::variable(a, 0));
    x.tan[0] = d2(1.0);
    dd2 y(d2::variable(b, 1));
    y.tan[1] = d2(1.0);
    const dd2 h = f(x, y);
    const auto gradient = [&](double p, double q, int i) {
      return f(d2::variable(p, 0), d2::variable(q, 1)).tan[i];
    };
    const double haa = finite_difference([&](double p) { return gradient(p, b, 0); }, a);
    const double hab = finite_difference([&](double q) { return gradient(a, q, 0); }, b);
    const double hbb = finite_difference([&](double q) { return gradient(a, q, 1); }, b);
    CHECK(close(h.tan[0].tan[0], haa));
    CHECK(close(h.tan[0].tan[1], hab));
    CHECK(close(h.tan[1].tan[0], hab));
    CHECK(close(h.tan[1].tan[1], hbb));
    CHECK(close(h.tan[0].val, r.tan[0], 1e-14, 1e-300));
    CHECK(close(h.val.tan[1], r.tan[1], 1e-14, 1e-300));
  }
}

} // namespace

TEST_CASE("dual: construction, traits and layout", "[math]") {
  STATIC_REQUIRE(m::is_dual_v<d3>);
  STATIC_REQUIRE(m::is_dual_v<const dd&>);
  STATIC_REQUIRE_FALSE(m::is_dual_v<double>);
  STATIC_REQUIRE(std::is_same_v<m::scalar_type_t<dd>, double>);
  STATIC_REQUIRE(std::is_same_v<m::scalar_type_t<m::dual<float, 2>>, float>);
  STATIC_REQUIRE(std::is_same_v<m::scalar_type_t<double>, double>);
  STATIC_REQUIRE(std::is_trivially_copyable_v<d3>);
  STATIC_REQUIRE(std::is_trivially_copyable_v<dd2>);
  STATIC_REQUIRE(sizeof(d3) == 4 * sizeof(double));

  m::dual<double, 4> c = 1.0;
  CHECK(c.val == 1.0);
  for (double t : c.tan) {
    CHECK(t == 0.0);
  }
  const m::dual<double, 4> from_int = 3;
  CHECK(from_int.val == 3.0);
  const d3 v = d3::variable(2.5, 1);
  CHECK(v.val == 2.5);
  CHECK(v.tan[0] == 0.0);
  CHECK(v.tan[1] == 1.0);
  CHECK(v.tan[2] == 0.0);
  const dd nested = 2.0;
  CHECK(m::value_of(nested) == 2.0);
  CHECK(m::value_of(seeded2(0.25)) == 0.25);
  CHECK(m::is_finite(v));
  CHECK_FALSE(m::is_finite(d3(inf)));
  CHECK(m::is_nan(dd(std::nan(""))));
  CHECK(m::infinity<dd>().val.val == inf);
  CHECK(m::negative_infinity<d3>().val == -inf);
  CHECK(std::isnan(m::quiet_nan<d3>().val));
  const d3 zero{};
  CHECK(zero.val == 0.0);
  CHECK(zero.tan[2] == 0.0);
}

TEST_CASE("dual arithmetic against closed-form derivatives", "[math]") {
  const double a = 1.5;
  const double b = -0.7;
  const d2 x = d2::variable(a, 0);
  const d2 y = d2::variable(b, 1);
  const auto expect = [](const d2& r, double value, double dx, double dy) {
    CHECK(r.val == Approx(value).epsilon(1e-15));
    CHECK(r.tan[0] == Approx(dx).epsilon(1e-15));
    CHECK(r.tan[1] == Approx(dy).epsilon(1e-15));
  };
  expect(x + y, a + b, 1, 1);
  expect(x - y, a - b, 1, -1);
  expect(x * y, a * b, b, a);
  expect(x / y, a / b, 1 / b, -a / (b * b));
  expect(-x, -a, -1, 0);
  expect(+y, b, 0, 1);
  expect(x + 2.0, a + 2, 1, 0);
  expect(2 + x, a + 2, 1, 0);
  expect(x - 2.0, a - 2, 1, 0);
  expect(2.0 - x, 2 - a, -1, 0);
  expect(x * 3, 3 * a, 3, 0);
  expect(3.0 * y, 3 * b, 0, 3);
  expect(x / 4.0, a / 4, 0.25, 0);
  expect(3.0 / x, 3 / a, -3 / (a * a), 0);
  expect(1 / y, 1 / b, 0, -1 / (b * b));
  expect(x * 2.0f, 2 * a, 2, 0);

  d2 z = x;
  z += y;
  z *= 2.0;
  z -= x;
  z /= y; // (2(x + y) - x) / y = x/y + 2
  expect(z, ((a + b) * 2 - a) / b, 1 / b, -a / (b * b));
  d2 w = 1.0;
  w += 1;
  w *= x;
  expect(w, 2 * a, 2, 0);

  CHECK(x > y);
  CHECK(y < x);
  CHECK(x >= 1.5);
  CHECK(x <= 1.5);
  CHECK(1.5 == x);
  CHECK(x != y);
  CHECK(x == d2(1.5)); // values only
  CHECK(0.0 > y);
  CHECK_FALSE(x < 1);

  // nested: mixed with the inner type, and the cross derivative of x * y is 1
  dd2 xx(x);
  xx.tan[0] = d2(1.0);
  dd2 yy(y);
  yy.tan[1] = d2(1.0);
  const dd2 product = xx * yy;
  CHECK(product.tan[0].tan[1] == 1.0);
  CHECK(product.tan[1].tan[0] == 1.0);
  CHECK(product.tan[0].tan[0] == 0.0);
  const dd2 scaled = xx * y + 2.0 * xx; // d/d(outer x) = y + 2, and its inner y-derivative is 1
  CHECK(scaled.tan[0].val == Approx(b + 2));
  CHECK(scaled.tan[0].tan[1] == 1.0);
  const dd2 quotient = xx / yy; // d2/dxdy (x/y) = -1/y^2, d2/dy2 = 2x/y^3
  CHECK(quotient.tan[0].tan[1] == Approx(-1 / (b * b)).epsilon(1e-15));
  CHECK(quotient.tan[1].tan[1] == Approx(2 * a / (b * b * b)).epsilon(1e-15));
}

TEST_CASE("dual elementary functions: tangents and second derivatives", "[math]") {
  check_unary("exp", [](auto x) { return m::exp(x); }, {-3.0, -0.5, 0.0, 1.2, 5.0});
  check_unary("log", [](auto x) { return m::log(x); }, {0.01, 0.5, 1.0, 3.0, 100.0});
  check_unary("sqrt", [](auto x) { return m::sqrt(x); }, {0.01, 0.5, 2.0, 100.0});
  check_unary("cbrt", [](auto x) { return m::cbrt(x); }, {-8.0, -0.3, 0.5, 27.0});
  check_unary("sin", [](auto x) { return m::sin(x); }, {-2.0, 0.0, 0.7, 3.0});
  check_unary("cos", [](auto x) { return m::cos(x); }, {-2.0, 0.0, 0.7, 3.0});
  check_unary("tan", [](auto x) { return m::tan(x); }, {-1.2, 0.0, 0.4, 1.3});
  check_unary("atan", [](auto x) { return m::atan(x); }, {-3.0, 0.0, 0.5, 10.0});
  check_unary("sinh", [](auto x) { return m::sinh(x); }, {-3.0, 0.0, 0.5, 4.0});
  check_unary("cosh", [](auto x) { return m::cosh(x); }, {-3.0, 0.0, 0.5, 4.0});
  check_unary("tanh", [](auto x) { return m::tanh(x); }, {-3.0, 0.0, 0.5, 4.0});
  check_unary("log1p", [](auto x) { return m::log1p(x); }, {-0.9, -0.3, 0.0, 2.0, 100.0});
  check_unary("expm1", [](auto x) { return m::expm1(x); }, {-5.0, -1e-3, 0.0, 0.5, 3.0});
  check_unary("erf", [](auto x) { return m::erf(x); }, {-2.0, -0.5, 0.0, 0.3, 2.5});
  check_unary("erfc", [](auto x) { return m::erfc(x); }, {-2.0, -0.5, 0.0, 0.3, 2.5});
  check_unary("floor", [](auto x) { return m::floor(x); }, {-1.5, 0.3, 2.7});
  check_unary("ceil", [](auto x) { return m::ceil(x); }, {-1.5, 0.3, 2.7});
  check_unary("fabs", [](auto x) { return m::fabs(x); }, {-2.5, -0.1, 0.3, 4.0});
  check_unary("abs", [](auto x) { return m::abs(x); }, {-2.5, -0.1, 0.3, 4.0});
  check_unary("square", [](auto x) { return m::square(x); }, {-3.0, 0.0, 0.5, 7.0});
  check_unary("inv", [](auto x) { return m::inv(x); }, {-2.0, 0.1, 3.0});
  check_unary("pow(x, 3)", [](auto x) { return m::pow(x, 3); }, {-2.0, 0.0, 0.5, 4.0});
  check_unary("pow(x, -1.5)", [](auto x) { return m::pow(x, -1.5); }, {0.1, 2.0, 30.0});
  check_unary("pow(2.5, x)", [](auto x) { return m::pow(2.5, x); }, {-3.0, 0.0, 1.5});
}

TEST_CASE("dual gamma family: tangents and second derivatives", "[math]") {
  const auto points = {0.2, 0.5, 1.0, 1.4616321449683622, 3.3, 15.0, 150.0, -0.5, -2.5};
  check_unary(
      "lgamma", [](auto x) { return m::lgamma(x); }, points);
  check_unary(
      "digamma", [](auto x) { return m::digamma(x); }, points);
  check_unary(
      "trigamma", [](auto x) { return m::trigamma(x); }, points);
  check_unary(
      "tetragamma", [](auto x) { return m::tetragamma(x); }, points);
  check_unary("polygamma(3, x)", [](auto x) { return m::polygamma(3, x); }, {0.5, 2.0, 20.0});
  check_unary("lgamma_stirling_diff", [](auto x) { return m::lgamma_stirling_diff(x); },
              {0.5, 3.0, 9.99, 10.01, 50.0, 1e4});

  // third order: d^3/dx^3 lgamma = polygamma(2, x)
  using ddd = m::dual<dd, 1>;
  for (double x : {0.7, 4.2, 33.0}) {
    ddd v(seeded2(x));
    v.tan[0] = dd(1.0);
    v.tan[0].val.tan[0] = 0.0;
    const ddd r = m::lgamma(v);
    CHECK(r.tan[0].tan[0].tan[0] == Approx(m::polygamma(2, x)).epsilon(1e-14));
    CHECK(r.tan[0].tan[0].val == Approx(m::trigamma(x)).epsilon(1e-14));
  }
}

TEST_CASE("dual log-space helpers: tangents and second derivatives", "[math]") {
  const auto reals = {-40.0, -3.0, 0.0, 2.0, 40.0};
  check_unary(
      "log1p_exp", [](auto x) { return m::log1p_exp(x); }, reals);
  check_unary("log1m_exp", [](auto x) { return m::log1m_exp(x); }, {-40.0, -3.0, -0.5, -0.05});
  check_unary(
      "inv_logit", [](auto x) { return m::inv_logit(x); }, reals);
  check_unary("logit", [](auto x) { return m::logit(x); }, {1e-3, 0.2, 0.5, 0.9});
  check_unary(
      "log_inv_logit", [](auto x) { return m::log_inv_logit(x); }, reals);
  check_unary(
      "log1m_inv_logit", [](auto x) { return m::log1m_inv_logit(x); }, reals);
  check_unary("log1m", [](auto x) { return m::log1m(x); }, {-5.0, 0.0, 0.5, 0.9});
  check_unary("Phi", [](auto x) { return m::Phi(x); }, {-10.0, -2.0, 0.0, 1.5, 6.0});
}

TEST_CASE("dual binary functions: gradients and Hessians", "[math]") {
  check_binary("pow", [](auto a, auto b) { return m::pow(a, b); },
               {{0.5, 2.3}, {3.0, -1.5}, {2.0, 0.5}, {1.7, 3.0}});
  check_binary("lbeta", [](auto a, auto b) { return m::lbeta(a, b); },
               {{0.5, 2.3}, {3.0, 12.0}, {20.5, 1e3}, {1e6, 0.7}});
  check_binary("lchoose", [](auto n, auto k) { return m::lchoose(n, k); },
               {{10.5, 3.2}, {100.0, 40.0}, {1e6, 5.5}});
  check_binary("log_sum_exp", [](auto a, auto b) { return m::log_sum_exp(a, b); },
               {{-1.0, 2.0}, {3.0, 3.5}, {-50.0, 10.0}, {0.3, -30.0}});
  check_binary("log_diff_exp", [](auto a, auto b) { return m::log_diff_exp(a, b); },
               {{2.0, -1.0}, {3.0, 2.5}, {0.5, -30.0}});
  check_binary("multiply_log", [](auto a, auto b) { return m::multiply_log(a, b); },
               {{2.0, 3.0}, {0.5, 0.1}, {3.0, 1e3}});
  check_binary("operator/", [](auto a, auto b) { return a / b; }, {{2.0, -1.0}, {0.3, 7.0}});
}

TEST_CASE("dual tangents stay finite at the edges", "[math]") {
  CHECK(m::pow(d1::variable(0.0, 0), 2).tan[0] == 0.0);
  CHECK(m::pow(d1::variable(0.0, 0), 0.0).tan[0] == 0.0);
  CHECK(m::pow(0.0, d1::variable(2.0, 0)).tan[0] == 0.0);
  const d2 both = m::log_sum_exp(d2::variable(-inf, 0), d2::variable(-inf, 1));
  CHECK(both.val == -inf);
  CHECK(both.tan[0] == 0.5);
  CHECK(both.tan[1] == 0.5);
  const d2 one_sided = m::log_sum_exp(d2::variable(-inf, 0), d2::variable(1.0, 1));
  CHECK(one_sided.tan[0] == 0.0);
  CHECK(one_sided.tan[1] == 1.0);
  const d2 diff = m::log_diff_exp(d2::variable(1.0, 0), d2::variable(-inf, 1));
  CHECK(diff.val == 1.0);
  CHECK(diff.tan[0] == 1.0);
  CHECK(diff.tan[1] == 0.0);
  CHECK(m::multiply_log(0.0, d1::variable(0.0, 0)).tan[0] == 0.0);
  CHECK(m::abs(d1::variable(0.0, 0)).tan[0] == 0.0);
  CHECK(m::inv_logit(d1::variable(-800.0, 0)).tan[0] == 0.0);
  CHECK(m::log1p_exp(d1::variable(800.0, 0)).tan[0] == 1.0);
  CHECK(m::log_inv_logit(d1::variable(-800.0, 0)).tan[0] == 1.0);
}

TEST_CASE("dual over float", "[math]") {
  using f1 = m::dual<float, 1>;
  const f1 r = m::lgamma(f1::variable(3.5f, 0)) * 2.0f + 1.0;
  STATIC_REQUIRE(std::is_same_v<decltype(r.val), float>);
  CHECK(r.tan[0] == Approx(2 * m::digamma(3.5)).epsilon(1e-6));
  const f1 s = m::log_sum_exp(f1::variable(0.5f, 0), 1.0f);
  CHECK(s.tan[0] == Approx(m::inv_logit(-0.5)).epsilon(1e-6));
}

namespace {
// Generic code calls the math layer qualified, for double and dual alike.
template <class T>
T normal_log_density(const T& mu, const T& sigma, double y) {
  return -statix::math::log(sigma) - 0.5 * statix::math::square((y - mu) / sigma) -
         statix::math::half_log_two_pi;
}
} // namespace

TEST_CASE("generic code calls the math layer qualified for double and dual", "[math]") {
  const double mu = 0.3;
  const double sigma = 1.7;
  const double y = -1.2;
  const double plain = normal_log_density(mu, sigma, y);
  const d2 r = normal_log_density(d2::variable(mu, 0), d2::variable(sigma, 1), y);
  CHECK(r.val == plain);
  const double z = (y - mu) / sigma;
  CHECK(r.tan[0] == Approx(z / sigma).epsilon(1e-14));
  CHECK(r.tan[1] == Approx(-1 / sigma + z * z / sigma).epsilon(1e-14));
}
