#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

namespace sx = statix;
namespace tr = statix::transforms;

namespace {

// log |dy/dx| by a fourth-order central difference of the constraining map.
template <class F>
double log_abs_derivative(F&& f, double x) {
  const double h = 1e-4 * std::max(1.0, std::abs(x));
  const double d = (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h);
  return std::log(std::abs(d));
}

const double points[] = {-30.0, -8.0, -1.5, -0.2, 0.0, 0.3, 1.0, 4.0, 12.0};

} // namespace

TEST_CASE("identity transform: round trip and zero log-Jacobian", "[core][transforms]") {
  for (double x : points) {
    double lj = 1;
    const double y = tr::identity::constrain(x, lj);
    CHECK(y == x);
    CHECK(lj == 0.0);
    CHECK(tr::identity::free(y) == x);
  }
}

TEST_CASE("lower-bound transform: round trip and log|J| against finite differences",
          "[core][transforms]") {
  for (double lower : {-3.0, 0.0, 2.5}) {
    for (double x : points) {
      if (std::abs(x) > 15) continue;
      double lj;
      const double y = tr::lower_bound::constrain(x, lower, lj);
      CHECK(y > lower);
      CHECK(tr::lower_bound::free(y, lower) == Approx(x).margin(1e-12));
      auto f = [&](double z) {
        double ignored;
        return tr::lower_bound::constrain(z, lower, ignored);
      };
      CHECK(lj == Approx(log_abs_derivative(f, x)).margin(1e-7));
    }
  }
}

TEST_CASE("upper-bound transform: round trip and log|J| against finite differences",
          "[core][transforms]") {
  for (double upper : {-3.0, 0.0, 2.5}) {
    for (double x : points) {
      if (std::abs(x) > 15) continue;
      double lj;
      const double y = tr::upper_bound::constrain(x, upper, lj);
      CHECK(y < upper);
      CHECK(tr::upper_bound::free(y, upper) == Approx(x).margin(1e-12));
      auto f = [&](double z) {
        double ignored;
        return tr::upper_bound::constrain(z, upper, ignored);
      };
      CHECK(lj == Approx(log_abs_derivative(f, x)).margin(1e-7));
    }
  }
}

TEST_CASE("interval transform: round trip, log|J| against finite differences, stable tails",
          "[core][transforms]") {
  for (auto [lower, upper] : {std::pair{0.0, 1.0}, std::pair{-2.0, 5.0}, std::pair{10.0, 10.5}}) {
    for (double x : points) {
      double lj;
      const double y = tr::interval::constrain(x, lower, upper, lj);
      CHECK(y >= lower);
      CHECK(y <= upper);
      CHECK(std::isfinite(lj));
      if (std::abs(x) <= 12) {
        CHECK(tr::interval::free(y, lower, upper) == Approx(x).margin(1e-8));
        auto f = [&](double z) {
          double ignored;
          return tr::interval::constrain(z, lower, upper, ignored);
        };
        CHECK(lj == Approx(log_abs_derivative(f, x)).margin(1e-6));
      }
    }
  }
  // far in the tails the log-Jacobian stays finite and linear in x
  double lj;
  tr::interval::constrain(-800.0, 0.0, 1.0, lj);
  CHECK(lj == Approx(-800.0).epsilon(1e-12));
  tr::interval::constrain(800.0, 0.0, 1.0, lj);
  CHECK(lj == Approx(-800.0).epsilon(1e-12));
}

TEST_CASE("transform partials agree with finite differences of value and log|J|",
          "[core][transforms]") {
  const double h = 1e-6;
  for (double x : {-2.0, -0.3, 0.0, 0.7, 3.0}) {
    const double lo = -1.2, hi = 2.7;
    const auto p = tr::interval::partials(x, lo, hi);
    auto value = [](double z, double l, double u) {
      double ignored;
      return tr::interval::constrain(z, l, u, ignored);
    };
    auto logj = [](double z, double l, double u) {
      double j;
      tr::interval::constrain(z, l, u, j);
      return j;
    };
    CHECK(p.dvalue_dx ==
          Approx((value(x + h, lo, hi) - value(x - h, lo, hi)) / (2 * h)).epsilon(1e-7));
    CHECK(p.dvalue_dlower ==
          Approx((value(x, lo + h, hi) - value(x, lo - h, hi)) / (2 * h)).epsilon(1e-7));
    CHECK(p.dvalue_dupper ==
          Approx((value(x, lo, hi + h) - value(x, lo, hi - h)) / (2 * h)).epsilon(1e-7));
    CHECK(p.dlogj_dx == Approx((logj(x + h, lo, hi) - logj(x - h, lo, hi)) / (2 * h)).margin(1e-8));
    CHECK(p.dlogj_dlower ==
          Approx((logj(x, lo + h, hi) - logj(x, lo - h, hi)) / (2 * h)).epsilon(1e-7));
    CHECK(p.dlogj_dupper ==
          Approx((logj(x, lo, hi + h) - logj(x, lo, hi - h)) / (2 * h)).epsilon(1e-7));
  }
}

TEST_CASE("model round trip: param_constrain after param_unconstrain gives the values back",
          "[core][transforms]") {
  auto alpha1 = sx::flat<"alpha1">(sx::lower(0.0), sx::upper(1.0));
  auto beta1 = sx::uniform<"beta1">(0.0, 1.0 - alpha1); // bound depending on a parameter
  auto sigma = sx::half_normal<"sigma">(2.0, sx::size(3));
  auto mu = sx::flat<"mu">();
  auto neg = sx::flat<"neg">(sx::upper(-1.0), sx::size(2));
  auto p = sx::beta<"p">(2.0, 3.0);
  auto model = sx::model(alpha1, beta1, sigma, mu, neg, p);
  REQUIRE(model.dim() == 9);
  Eigen::VectorXd values(9);
  values << 0.3, 0.5, 0.1, 2.0, 30.0, -4.0, -1.5, -7.0, 0.25;
  const Eigen::VectorXd x = model.param_unconstrain(values);
  const Eigen::VectorXd back = model.param_constrain(x);
  for (int i = 0; i < 9; ++i)
    CHECK(back[i] == Approx(values[i]).epsilon(1e-13));
  // beta1 lies in (0, 1 - alpha1): logit of beta1 / 0.7
  CHECK(x[1] == Approx(std::log(0.5 / 0.7) - std::log1p(-0.5 / 0.7)).epsilon(1e-13));
  CHECK(x[2] == Approx(std::log(0.1)).epsilon(1e-13));
  CHECK(x[6] == Approx(std::log(-1.0 - -1.5)).epsilon(1e-13));
}

TEST_CASE("the Jacobian term of a parameter-dependent interval is in the log density",
          "[core][transforms]") {
  auto alpha1 = sx::flat<"alpha1">(sx::lower(0.0), sx::upper(1.0));
  auto beta1 = sx::flat<"beta1">(sx::lower(0.0), sx::upper(1.0 - alpha1));
  auto model = sx::model(alpha1, beta1);
  Eigen::VectorXd x(2);
  x << 0.4, -1.1;
  const double a = 1 / (1 + std::exp(-0.4));
  const double s = 1 / (1 + std::exp(1.1));
  const double expected = std::log(a * (1 - a)) + std::log((1 - a) * s * (1 - s));
  CHECK(model.log_density(x) == Approx(expected).epsilon(1e-12));
  CHECK(model.log_density(x, {.jacobian = false}) == 0.0);
}
