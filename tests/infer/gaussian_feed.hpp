#pragma once

// Exact draws of a Gaussian with their gradients, as a sampler would feed
// them to a warm-up: for testing metric estimators against the covariance.

#include <statix/infer/hamiltonian.hpp>

#include <Eigen/Dense>

#include <random>
#include <utility>

namespace test_models {

// Draws of N(mean, cov) and the log density's gradient at each.
struct gaussian_feed {
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov, precision, chol;
  std::mt19937_64 rng;
  gaussian_feed(Eigen::VectorXd m, Eigen::MatrixXd c, unsigned seed)
      : mean(std::move(m)), cov(std::move(c)), rng(seed) {
    precision = cov.inverse();
    chol = cov.llt().matrixL();
  }
  statix::phase_point next() {
    std::normal_distribution<double> normal;
    const int d = static_cast<int>(mean.size());
    Eigen::VectorXd u(d);
    for (int i = 0; i < d; ++i)
      u[i] = normal(rng);
    statix::phase_point z(d);
    z.q = mean + chol * u;
    z.grad = -precision * (z.q - mean);
    return z;
  }
};

} // namespace test_models
