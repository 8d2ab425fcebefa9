#include "../model/reference_models.hpp"
#include "gradient_check.hpp"

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

// Reverse mode against finite differences of the model's own log density
// (whose value the model tests check against hand-written code).
template <class Model>
void check_gradient(const Model& model, const Eigen::VectorXd& x, sx::density_options opts = {}) {
  Eigen::VectorXd grad;
  const double lp = model.log_density_gradient(x, grad, opts);
  REQUIRE(lp == Approx(model.log_density(x, opts)).epsilon(1e-13));
  const Eigen::VectorXd fd =
      finite_difference_gradient([&](const Eigen::VectorXd& z) { return model.log_density(z, opts); }, x);
  const double scale = std::max(1.0, std::abs(lp)) * 1e-9;
  for (int i = 0; i < x.size(); ++i) {
    INFO("coordinate " << i << " (" << model.param_names()[i] << "): reverse " << grad[i]
                       << ", finite differences " << fd[i]);
    CHECK(close(grad[i], fd[i], 1e-6, scale));
  }
}

} // namespace

TEST_CASE("eight schools gradient equals finite differences", "[ad]") {
  eight_schools_data d;
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  auto model = sx::model(mu, tau, theta_raw, theta, y);
  for (unsigned seed = 1; seed <= 10; ++seed) {
    check_gradient(model, random_point(10, seed, seed > 7 ? 3.0 : 1.0));
    check_gradient(model, random_point(10, seed), {.jacobian = false, .propto = true});
  }
}

TEST_CASE("logistic regression gradient equals finite differences", "[ad]") {
  const auto d = make_logistic_data(5000, 25, 11);
  auto alpha = sx::normal<"alpha">(0.0, 2.5);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(25));
  auto y = sx::bernoulli_logit<"y">(alpha + d.X * beta).observe(d.y);
  auto model = sx::model(alpha, beta, y);
  for (unsigned seed = 1; seed <= 3; ++seed)
    check_gradient(model, random_point(26, seed, 0.3));
}

TEST_CASE("radon-style model gradient equals finite differences", "[ad]") {
  const auto d = make_radon_data(85, 919, 5);
  auto mu_a = sx::normal<"mu_a">(0.0, 10.0);
  auto sigma_a = sx::half_normal<"sigma_a">(5.0);
  auto mu_b = sx::normal<"mu_b">(0.0, 10.0);
  auto sigma_b = sx::half_normal<"sigma_b">(5.0);
  auto sigma_y = sx::half_normal<"sigma_y">(5.0);
  auto a = sx::normal<"a">(mu_a, sigma_a, sx::size(d.groups));
  auto b = sx::normal<"b">(mu_b, sigma_b, sx::size(d.groups));
  auto y = sx::normal<"y">(a[d.county] + b[d.county] * d.floor, sigma_y).observe(d.log_radon);
  auto model = sx::model(mu_a, sigma_a, mu_b, sigma_b, sigma_y, a, b, y);
  for (unsigned seed = 1; seed <= 3; ++seed)
    check_gradient(model, random_point(model.dim(), seed, 0.5));
}
