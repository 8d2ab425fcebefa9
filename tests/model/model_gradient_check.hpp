#pragma once

// The gradient checks the model tests share: at a few random unconstrained
// points, reverse mode against finite differences (1e-6), the value of the
// gradient evaluation against log_density (1e-12), and forward mode against
// reverse mode (1e-12 in the value, 1e-10 in the gradient).

#include "../ad/gradient_check.hpp"

#include <statix/modeling.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

namespace statix_test {

inline Eigen::VectorXd random_point(int d, unsigned seed, double scale = 0.7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, scale);
  Eigen::VectorXd x(d);
  for (int i = 0; i < d; ++i)
    x[i] = normal(rng);
  return x;
}

struct gradient_check_options {
  double scale = 0.7;      // sd of the random points' coordinates
  unsigned points = 4;     // seeds 1..points
  bool check_value = true; // log_density(x) equals the gradient evaluation's value
};

template <class Model>
void check_model_gradients(const Model& model, gradient_check_options o = {}) {
  for (unsigned seed = 1; seed <= o.points; ++seed) {
    const Eigen::VectorXd x = random_point(model.dim(), seed, o.scale);
    Eigen::VectorXd grad, grad_forward;
    const double lp = model.log_density_gradient(x, grad);
    REQUIRE(std::isfinite(lp));
    if (o.check_value) CHECK(model.log_density(x) == Approx(lp).epsilon(1e-12));
    const Eigen::VectorXd fd = finite_difference_gradient(
        [&](const Eigen::VectorXd& y) { return model.log_density(y); }, x);
    for (int i = 0; i < model.dim(); ++i)
      CHECK(grad[i] == Approx(fd[i]).epsilon(1e-6).margin(1e-6));
    CHECK(model.log_density_gradient(x, grad_forward, statix::forward_mode) ==
          Approx(lp).epsilon(1e-12));
    for (int i = 0; i < model.dim(); ++i)
      CHECK(grad_forward[i] == Approx(grad[i]).epsilon(1e-10).margin(1e-10));
  }
}

} // namespace statix_test
