// sx::scan: recursions over time written as a step expression. Each model's
// gradient against finite differences, forward mode against reverse mode,
// values against the recursion written out here, and a scan of 10,000 steps.
#include "model_gradient_check.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <tuple>
#include <vector>

namespace sx = statix;
using Catch::Matchers::Contains;
using statix_test::finite_difference_gradient;
using statix_test::random_point;

namespace {

Eigen::VectorXd series(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::VectorXd y(n);
  double level = 0;
  for (int t = 0; t < n; ++t) {
    level = 0.8 * level + normal(rng);
    y[t] = level + 0.3 * normal(rng);
  }
  return y;
}

template <class Model>
void check_gradients(const Model& model, double scale) {
  statix_test::check_model_gradients(model, {.scale = scale, .points = 3, .check_value = false});
}

} // namespace

TEST_CASE("GARCH(1,1) with sx::scan: values and gradients", "[model][scan]") {
  const Eigen::VectorXd y = series(40, 1);
  const int n = static_cast<int>(y.size());
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto alpha0 = sx::lognormal<"alpha0">(0.0, 1.0);
  auto alpha1 = sx::uniform<"alpha1">(0.0, 1.0);
  auto beta1 = sx::uniform<"beta1">(0.0, 1.0 - alpha1);
  auto sigma1 = sx::lognormal<"sigma1">(0.0, 1.0);
  auto sigma = sx::deterministic<"sigma">(sx::scan(sigma1, n, [&](auto prev, auto t) {
    return sqrt(alpha0 + alpha1 * square(sx::data(y)[t - 1] - mu) + beta1 * square(prev));
  }));
  auto obs = sx::normal<"y">(mu, sigma).observe(y);
  auto model = sx::model(mu, alpha0, alpha1, beta1, sigma1, sigma, obs);
  check_gradients(model, 0.5);

  const Eigen::VectorXd x = random_point(model.dim(), 7, 0.5);
  const Eigen::VectorXd out = model.param_constrain(x, true);
  const double m = out[0], a0 = out[1], a1 = out[2], b1 = out[3];
  double s = out[4];
  CHECK(out[5] == Approx(s).epsilon(1e-15));
  for (int t = 1; t < n; ++t) {
    s = std::sqrt(a0 + a1 * (y[t - 1] - m) * (y[t - 1] - m) + b1 * s * s);
    CHECK(out[5 + t] == Approx(s).epsilon(1e-13));
  }
}

TEST_CASE("state-space models with sx::scan: local level and stochastic volatility",
          "[model][scan]") {
  const Eigen::VectorXd y = series(30, 2);
  const int n = static_cast<int>(y.size());
  // Local level: level[t] = level[t-1] + sigma_level * z[t].
  auto sigma_level = sx::half_normal<"sigma_level">(1.0);
  auto sigma_y = sx::half_normal<"sigma_y">(1.0);
  auto level0 = sx::normal<"level0">(0.0, 5.0);
  auto z = sx::normal<"z">(0.0, 1.0, sx::size(n));
  auto level = sx::deterministic<"level">(
      sx::scan(level0, n, [&](auto prev, auto t) { return prev + sigma_level * z[t]; }));
  auto obs = sx::normal<"y">(level, sigma_y).observe(y);
  auto local_level = sx::model(sigma_level, sigma_y, level0, z, level, obs);
  check_gradients(local_level, 0.5);

  // Stochastic volatility: h[t] = mu + phi (h[t-1] - mu) + sigma h_std[t].
  auto mu = sx::normal<"mu">(0.0, 2.0);
  auto phi = sx::uniform<"phi">(-1.0, 1.0);
  auto sigma = sx::half_cauchy<"sigma">(1.0);
  auto h_std = sx::normal<"h_std">(0.0, 1.0, sx::size(n));
  auto h = sx::deterministic<"h">(
      sx::scan(mu + sigma * h_std[0] / sqrt(1.0 - square(phi)), n,
               [&](auto prev, auto t) { return mu + phi * (prev - mu) + sigma * h_std[t]; }));
  auto ret = sx::normal<"y">(0.0, exp(h / 2.0)).observe(y);
  auto sv = sx::model(mu, phi, sigma, h_std, h, ret);
  check_gradients(sv, 0.5);
}

TEST_CASE("an AR(1) of a latent state with a lagged data read", "[model][scan]") {
  const Eigen::VectorXd y = series(25, 3);
  const int n = static_cast<int>(y.size());
  auto alpha = sx::normal<"alpha">(0.0, 1.0);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(2));
  auto sigma = sx::half_normal<"sigma">(1.0);
  // m[t] = alpha + beta1 m[t-1] + beta2 y[t-1] (a lagged read of the data
  // itself beside the recursion).
  auto m = sx::deterministic<"m">(sx::scan(y[0], n, [&](auto prev, auto t) {
    return alpha + beta[0] * prev + beta[1] * sx::data(y)[t - 1];
  }));
  auto obs = sx::normal<"y">(m, sigma).observe(y);
  auto model = sx::model(alpha, beta, sigma, m, obs);
  check_gradients(model, 0.3);
}

TEST_CASE("AR(2) of a latent state: two initial values and prev(2)", "[model][scan]") {
  const Eigen::VectorXd y = series(30, 8);
  const int n = static_cast<int>(y.size());
  auto c = sx::normal<"c">(0.0, 0.5);
  auto phi = sx::normal<"phi">(0.0, 0.5, sx::size(2));
  auto sigma_x = sx::half_normal<"sigma_x">(1.0);
  auto x_init = sx::normal<"x_init">(0.0, 1.0, sx::size(2));
  auto eps = sx::normal<"eps">(0.0, 1.0, sx::size(n));
  auto sigma = sx::half_normal<"sigma">(1.0);
  // x[0], x[1] = x_init; x[t] = c + phi1 x[t-1] + phi2 x[t-2] + sigma_x eps[t].
  auto x = sx::deterministic<"x">(sx::scan(x_init, n, [&](auto prev, auto t) {
    return c + phi[0] * prev + phi[1] * prev(2) + sigma_x * eps[t];
  }));
  auto obs = sx::normal<"y">(x, sigma).observe(y);
  auto model = sx::model(c, phi, sigma_x, x_init, eps, sigma, x, obs);
  check_gradients(model, 0.3);

  const Eigen::VectorXd point = random_point(model.dim(), 11, 0.5);
  const Eigen::VectorXd out = model.param_constrain(point, true);
  // c, phi (2), sigma_x, x_init (2), eps (n), sigma, x (n).
  const double cc = out[0], p1 = out[1], p2 = out[2], sx_ = out[3];
  const int eps_at = 6, x_at = 6 + n + 1;
  std::vector<double> expected(n);
  expected[0] = out[4];
  expected[1] = out[5];
  for (int t = 2; t < n; ++t)
    expected[t] = cc + p1 * expected[t - 1] + p2 * expected[t - 2] + sx_ * out[eps_at + t];
  for (int t = 0; t < n; ++t)
    CHECK(out[x_at + t] == Approx(expected[t]).epsilon(1e-13));

  // prev(1) is prev.
  auto x1 = sx::deterministic<"x">(sx::scan(x_init, n, [&](auto prev, auto t) {
    return c + phi[0] * prev(1) + phi[1] * prev(2) + sigma_x * eps[t];
  }));
  auto model1 =
      sx::model(c, phi, sigma_x, x_init, eps, sigma, x1, sx::normal<"y">(x1, sigma).observe(y));
  Eigen::VectorXd g, g1;
  CHECK(model1.log_density_gradient(point, g1) == Approx(model.log_density_gradient(point, g)));
  CHECK((g1 - g).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("a recursion that reads the data at t - 2 after two initial values", "[model][scan]") {
  const Eigen::VectorXd y = series(35, 9);
  const int n = static_cast<int>(y.size());
  auto alpha0 = sx::lognormal<"alpha0">(-1.0, 0.5);
  auto alpha = sx::uniform<"alpha">(0.0, 0.5, sx::size(2));
  auto beta1 = sx::uniform<"beta1">(0.0, 0.5);
  auto s_init = sx::lognormal<"s_init">(0.0, 0.5, sx::size(2));
  // GARCH(2, 1) on the variance: v[t] = alpha0 + a1 y[t-1]^2 + a2 y[t-2]^2 + b1 v[t-1].
  auto v = sx::deterministic<"v">(sx::scan(s_init, n, [&](auto prev, auto t) {
    return alpha0 + alpha[0] * square(sx::data(y)[t - 1]) + alpha[1] * square(sx::data(y)[t - 2]) +
           beta1 * prev;
  }));
  auto obs = sx::normal<"y">(0.0, sqrt(v)).observe(y);
  auto model = sx::model(alpha0, alpha, beta1, s_init, v, obs);
  check_gradients(model, 0.4);
}

TEST_CASE("a vector state: the local linear trend", "[model][scan]") {
  const Eigen::VectorXd y = series(30, 12);
  const int n = static_cast<int>(y.size());
  auto init = sx::normal<"init">(0.0, 1.0, sx::size(2));
  auto sigma_level = sx::half_normal<"sigma_level">(0.5);
  auto sigma_slope = sx::half_normal<"sigma_slope">(0.2);
  auto z_level = sx::normal<"z_level">(0.0, 1.0, sx::size(n));
  auto z_slope = sx::normal<"z_slope">(0.0, 1.0, sx::size(n));
  auto sigma = sx::half_normal<"sigma">(1.0);
  // level[t] = level[t-1] + slope[t-1] + sigma_level z_level[t],
  // slope[t] = slope[t-1] + sigma_slope z_slope[t].
  auto states = sx::deterministic<"states">(sx::scan(init, n, [&](auto prev, auto t) {
    return std::tuple(prev[0] + prev[1] + sigma_level * z_level[t],
                      prev[1] + sigma_slope * z_slope[t]);
  }));
  auto obs = sx::normal<"y">(sx::col(states, 0), sigma).observe(y);
  auto model = sx::model(init, sigma_level, sigma_slope, z_level, z_slope, sigma, states, obs);
  check_gradients(model, 0.3);

  const Eigen::VectorXd point = random_point(model.dim(), 5, 0.5);
  const Eigen::VectorXd out = model.param_constrain(point, true);
  // init (2), sigma_level, sigma_slope, z_level (n), z_slope (n), sigma,
  // states (n x 2, column-major).
  const double sl = out[2], ss = out[3];
  const int zl = 4, zs = 4 + n, at = 4 + 2 * n + 1;
  double level = out[0], slope = out[1];
  CHECK(out[at] == level);
  CHECK(out[at + n] == slope);
  for (int t = 1; t < n; ++t) {
    const double next_level = level + slope + sl * out[zl + t];
    slope = slope + ss * out[zs + t];
    level = next_level;
    CHECK(out[at + t] == Approx(level).epsilon(1e-13));
    CHECK(out[at + n + t] == Approx(slope).epsilon(1e-13));
  }
}

TEST_CASE("a vector state with a square-root step and a lagged data read", "[model][scan]") {
  const Eigen::VectorXd y = series(40, 13);
  const int n = static_cast<int>(y.size());
  auto alpha0 = sx::lognormal<"alpha0">(-1.0, 0.5);
  auto alpha1 = sx::uniform<"alpha1">(0.0, 0.5);
  auto beta1 = sx::uniform<"beta1">(0.0, 0.5);
  auto lambda = sx::normal<"lambda">(0.0, 0.5);
  auto s1 = sx::lognormal<"s1">(0.0, 0.5);
  auto sigma = sx::half_normal<"sigma">(1.0);
  // (sigma[t], m[t]): a GARCH(1,1) scale and a mean that accumulates it.
  auto states = sx::deterministic<"states">(sx::scan(s1, n, [&](auto prev, auto t) {
    return std::tuple(sqrt(alpha0 + alpha1 * square(sx::data(y)[t - 1]) + beta1 * square(prev[0])),
                      0.5 * prev[1] + lambda * prev[0]);
  }));
  auto obs = sx::normal<"y">(sx::col(states, 1), sx::col(states, 0) + sigma).observe(y);
  auto model = sx::model(alpha0, alpha1, beta1, lambda, s1, sigma, states, obs);
  check_gradients(model, 0.4);
}

TEST_CASE("a step whose outermost operation is exp: its derivative from the state",
          "[model][scan]") {
  const Eigen::VectorXd y = series(30, 5);
  const int n = static_cast<int>(y.size());
  auto a = sx::normal<"a">(0.0, 0.5);
  auto phi = sx::uniform<"phi">(-1.0, 1.0);
  auto c = sx::normal<"c">(0.0, 0.5);
  // s[t] = exp(a + phi log s[t-1] + c y[t-1]): a log-linear recursion on a
  // scale, which the observations read.
  auto s = sx::deterministic<"s">(sx::scan(sx::exp(a), n, [&](auto prev, auto t) {
    return exp(a + phi * log(prev) + c * sx::data(y)[t - 1]);
  }));
  auto obs = sx::normal<"y">(0.0, s).observe(y);
  auto model = sx::model(a, phi, c, s, obs);
  check_gradients(model, 0.5);
  const Eigen::VectorXd x = random_point(model.dim(), 3, 0.5);
  const Eigen::VectorXd out = model.param_constrain(x, true);
  double v = std::exp(out[0]);
  for (int t = 1; t < n; ++t) {
    v = std::exp(out[0] + out[1] * std::log(v) + out[2] * y[t - 1]);
    CHECK(out[3 + t] == Approx(v).epsilon(1e-13));
  }
}

TEST_CASE("a scan of 10,000 steps: no recursion, the gradient exact", "[model][scan]") {
  const int n = 10000;
  const Eigen::VectorXd y = series(n, 4);
  auto rho = sx::uniform<"rho">(-1.0, 1.0);
  auto sigma = sx::half_normal<"sigma">(1.0);
  auto m = sx::deterministic<"m">(
      sx::scan(0.0, n, [&](auto prev, auto t) { return rho * prev + sx::data(y)[t - 1]; }));
  auto obs = sx::normal<"y">(m, sigma).observe(y);
  auto model = sx::model(rho, sigma, m, obs);
  Eigen::VectorXd x(2), grad;
  x << 0.3, -0.2;
  const double lp = model.log_density_gradient(x, grad);
  REQUIRE(std::isfinite(lp));
  const Eigen::VectorXd fd =
      finite_difference_gradient([&](const Eigen::VectorXd& v) { return model.log_density(v); }, x);
  CHECK(grad[0] == Approx(fd[0]).epsilon(1e-6));
  CHECK(grad[1] == Approx(fd[1]).epsilon(1e-6));
}

TEST_CASE("scan errors name what is read out of range", "[model][scan][errors]") {
  const Eigen::VectorXd y = series(10, 5);
  auto rho = sx::normal<"rho">(0.0, 1.0);
  CHECK_THROWS_WITH(
      sx::scan(0.0, 11, [&](auto prev, auto t) { return rho * prev + sx::data(y)[t]; }),
      Contains("of size 10") && Contains("up to index 10"));
  CHECK_THROWS_WITH(
      sx::scan(0.0, 5, [&](auto prev, auto t) { return rho * prev + sx::data(y)[t - 2]; }),
      Contains("t - 2"));
  CHECK_THROWS_WITH(sx::scan(0.0, 0, [&](auto prev, auto) { return rho * prev; }),
                    Contains("n >= 1"));
  Eigen::VectorXd two(2);
  two << 0.1, 0.2;
  CHECK_THROWS_WITH(sx::scan(two, 5, [&](auto prev, auto) { return rho * prev(3); }),
                    Contains("own state") && Contains("t - 3") && Contains("give init 3"));
  CHECK_THROWS_WITH(sx::scan(two, 5, [&](auto prev, auto) { return rho * prev(0); }),
                    Contains("k >= 1"));
  CHECK_THROWS_WITH(sx::scan(two, 1, [&](auto prev, auto) { return rho * prev; }),
                    Contains("length 1") && Contains("2 initial values"));
  CHECK_THROWS_WITH(
      sx::scan(two, 5,
               [&](auto prev, auto) { return std::tuple(prev[0] + prev[2], rho * prev[1]); }),
      Contains("prev[2]") && Contains("state of 2 values"));
  CHECK_THROWS_WITH(
      sx::scan(two, 5, [&](auto prev, auto) { return std::tuple(prev(2), rho * prev[1]); }),
      Contains("prev(k)") && Contains("prev[j]"));
  CHECK_THROWS_WITH(sx::scan(0.0, 5, [&](auto prev, auto) { return rho * prev[0]; }),
                    Contains("prev[0]") && Contains("std::tuple"));
  Eigen::VectorXd three(3);
  three << 0.1, 0.2, 0.3;
  CHECK_THROWS_WITH(
      sx::scan(three, 5, [&](auto prev, auto) { return std::tuple(prev[0], rho * prev[1]); }),
      Contains("state of 2 values") && Contains("init has 3"));
}
