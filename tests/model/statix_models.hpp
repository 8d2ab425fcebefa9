#pragma once

// The three reference models written with Statix, shared by the model, AD
// and parallel tests (their hand-written counterparts are in
// reference_models.hpp).

#include "reference_models.hpp"

#include <statix/modeling.hpp>

#include <random>

namespace statix_test {

namespace sx = statix;

inline auto eight_schools_model(const eight_schools_data& d) {
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto y = sx::normal<"y">(theta, d.sigma).observe(d.y);
  return sx::model(mu, tau, theta_raw, theta, y);
}

inline auto logistic_model(const logistic_data& d) {
  const int k = static_cast<int>(d.X.cols());
  auto alpha = sx::normal<"alpha">(0.0, 2.5);
  auto beta = sx::normal<"beta">(0.0, 1.0, sx::size(k));
  auto y = sx::bernoulli_logit<"y">(alpha + d.X * beta).observe(d.y);
  return sx::model(alpha, beta, y);
}

inline auto radon_model(const radon_data& d) {
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

inline Eigen::VectorXd random_point(int n, unsigned seed, double scale = 1.0) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  Eigen::VectorXd x(n);
  for (auto& v : x)
    v = scale * z(g);
  return x;
}

} // namespace statix_test
