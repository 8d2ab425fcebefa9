#include "reference_models.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <random>

namespace sx = statix;
using namespace statix_test;

namespace {

Eigen::VectorXd random_point(int n, unsigned seed, double scale = 1.0) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  Eigen::VectorXd x(n);
  for (auto& v : x)
    v = scale * z(g);
  return x;
}

auto eight_schools_model(const eight_schools_data& d) {
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  return sx::model(mu, tau, theta_raw, theta, y);
}

auto logistic_model(const logistic_data& d) {
  const int k = static_cast<int>(d.X.cols());
  auto alpha = sx::normal<"alpha">(0.0, 2.5);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(k));
  auto y = sx::bernoulli_logit<"y">(alpha + d.X * beta).observe(d.y);
  return sx::model(alpha, beta, y);
}

auto radon_model(const radon_data& d) {
  auto mu_a = sx::normal<"mu_a">(0.0, 10.0);
  auto sigma_a = sx::half_normal<"sigma_a">(5.0);
  auto mu_b = sx::normal<"mu_b">(0.0, 10.0);
  auto sigma_b = sx::half_normal<"sigma_b">(5.0);
  auto sigma_y = sx::half_normal<"sigma_y">(5.0);
  auto a = sx::normal<"a">(mu_a, sigma_a, sx::size(d.groups));
  auto b = sx::normal<"b">(mu_b, sigma_b, sx::size(d.groups));
  auto y = sx::normal<"y">(a[d.county] + b[d.county] * d.floor, sigma_y).observe(d.log_radon);
  return sx::model(mu_a, sigma_a, mu_b, sigma_b, sigma_y, a, b, y);
}

} // namespace

TEST_CASE("eight schools (non-centred) matches a hand-written log density", "[model]") {
  eight_schools_data d;
  auto model = eight_schools_model(d);
  REQUIRE(model.dim() == 10);
  REQUIRE(model.param_names().front() == "mu");
  REQUIRE(model.param_names()[2] == "theta_raw.1");
  REQUIRE(model.output_names().back() == "theta.8");
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const Eigen::VectorXd x = random_point(10, seed, seed < 15 ? 1.0 : 4.0);
    const double expected = eight_schools_noncentered(x, d);
    CHECK(model.log_density(x) == Approx(expected).epsilon(1e-12));
    Eigen::VectorXd grad;
    CHECK(model.log_density_gradient(x, grad) == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("logistic regression N=500 D=5 matches a hand-written log density", "[model]") {
  const auto d = make_logistic_data(500, 5, 7);
  auto model = logistic_model(d);
  REQUIRE(model.dim() == 6);
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const Eigen::VectorXd x = random_point(6, seed);
    CHECK(model.log_density(x) == Approx(logistic_regression(x, d)).epsilon(1e-12));
  }
}

TEST_CASE("radon-style varying intercepts and slopes match a hand-written log density", "[model]") {
  const auto d = make_radon_data(85, 919, 3);
  auto model = radon_model(d);
  REQUIRE(model.dim() == 5 + 2 * 85);
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const Eigen::VectorXd x = random_point(model.dim(), seed, 0.5);
    CHECK(model.log_density(x) == Approx(radon(x, d)).epsilon(1e-12));
  }
}
