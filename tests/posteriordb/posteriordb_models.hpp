#pragma once

// posteriordb models that more than one test samples.

#include "reference_check.hpp"
#include "stan_json.hpp"

#include <statix/modeling.hpp>

#include <Eigen/Dense>

#include <stdexcept>

namespace statix_test {

// Eight schools, non-centred (Rubin 1981): data J, y[j], sigma[j];
//   mu ~ normal(0, 5); tau ~ half-Cauchy(0, 5); theta_trans[j] ~ normal(0, 1);
//   theta[j] = mu + tau * theta_trans[j]; y[j] ~ normal(theta[j], sigma[j]).
// Reported: theta, mu, tau.
inline auto eight_schools_noncentered_model() {
  const stan_data data = load_data("eight_schools-eight_schools_noncentered");
  const int J = data.integer("J");
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_trans = sx::normal<"theta_trans">(0.0, 1.0, sx::size(J));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_trans);
  auto y = sx::normal<"y">(theta, data.vector("sigma")).observe(data.vector("y"));
  return sx::model(mu, tau, theta_trans, theta, y);
}

// kidiq, kidscore_interaction (Gelman & Hill 2006, ch. 3): data N, kid_score,
// mom_iq, mom_hs (0/1);
//   beta[1..4] flat; sigma ~ half-Cauchy(0, 2.5);
//   kid_score ~ normal(beta1 + beta2 mom_hs + beta3 mom_iq + beta4 mom_hs mom_iq, sigma).
// Posterior correlations near -0.99 between coefficients of different scales.
inline auto kidiq_model() {
  const stan_data data = load_data("kidiq-kidscore_interaction");
  const int N = data.integer("N");
  const Eigen::VectorXd mom_hs = data.vector("mom_hs");
  const Eigen::VectorXd mom_iq = data.vector("mom_iq");
  if (mom_hs.size() != N || mom_iq.size() != N)
    throw std::runtime_error("kidiq data: mom_hs and mom_iq must have N elements");
  Eigen::MatrixXd X(N, 4);
  X.col(0).setOnes();
  X.col(1) = mom_hs;
  X.col(2) = mom_iq;
  X.col(3) = mom_hs.cwiseProduct(mom_iq);

  auto beta = sx::flat<"beta">(sx::size(4));
  auto sigma = sx::half_cauchy<"sigma">(2.5);
  auto kid_score = sx::normal<"kid_score">(X * beta, sigma).observe(data.vector("kid_score"));
  return sx::model(beta, sigma, kid_score);
}

} // namespace statix_test
