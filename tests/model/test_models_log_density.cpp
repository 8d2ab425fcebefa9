#include "statix_models.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <random>

namespace sx = statix;
using namespace statix_test;

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
