#pragma once

// posteriordb models that more than one test (or benchmarks/nuts's warm-up
// comparison) samples: each built from the posterior's data.json.

#include "posteriordb_data.hpp"
#include "stan_json.hpp"

#include <statix/modeling.hpp>

#include <Eigen/Dense>

#include <stdexcept>

namespace statix_test {

namespace sx = statix;

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

// arK (AR(5) time series): data K, T, y;
//   alpha ~ normal(0, 10); beta[k] ~ normal(0, 10); sigma ~ half-Cauchy(0, 2.5);
//   y[t] ~ normal(alpha + sum_k beta[k] y[t-k], sigma) for t = K+1..T,
// with the lags as a (T-K) x K data matrix: lags(t, k) = y[t-k].
inline auto arK_model() {
  const stan_data data = load_data("arK-arK");
  const int K = data.integer("K");
  const int T = data.integer("T");
  const Eigen::VectorXd series = data.vector("y");
  if (series.size() != T) throw std::runtime_error("arK data: y must have T elements");
  Eigen::MatrixXd lags(T - K, K);
  for (int t = K; t < T; ++t)
    for (int k = 0; k < K; ++k)
      lags(t - K, k) = series[t - 1 - k]; // beta[k + 1] multiplies y[t - (k + 1)]
  const Eigen::VectorXd outcome = series.tail(T - K);

  auto alpha = sx::normal<"alpha">(0.0, 10.0);
  auto beta = sx::normal<"beta">(0.0, 10.0, sx::size(K));
  auto sigma = sx::half_cauchy<"sigma">(2.5);
  auto y = sx::normal<"y">(alpha + lags * beta, sigma).observe(outcome);
  return sx::model(alpha, beta, sigma, y);
}

// low_dim_gauss_mix (two-component normal mixture): data N, y;
//   mu ordered, mu[k] ~ normal(0, 2); sigma[k] ~ half-normal(0, 2);
//   theta ~ beta(5, 5);
//   y[n] ~ theta normal(mu[1], sigma[1]) + (1 - theta) normal(mu[2], sigma[2]),
// written as in Stan: an ordered vector (Stan's ordered transform) and a
// mixture likelihood, sx::mixture with theta the first component's weight
// (Stan's log_mix(theta, normal_lpdf(y[n] | mu[1], sigma[1]),
// normal_lpdf(y[n] | mu[2], sigma[2]))).
inline auto low_dim_gauss_mix_model() {
  const stan_data data = load_data("low_dim_gauss_mix-low_dim_gauss_mix");
  const Eigen::VectorXd y = data.vector("y");
  if (y.size() != data.integer("N"))
    throw std::runtime_error("low_dim_gauss_mix data: y must have N elements");
  auto mu = sx::normal<"mu">(0.0, 2.0, sx::ordered(2));
  auto sigma = sx::half_normal<"sigma">(2.0, sx::size(2));
  auto theta = sx::beta<"theta">(5.0, 5.0);
  auto mixture =
      sx::mixture<"y">(theta, sx::normal(mu[0], sigma[0]), sx::normal(mu[1], sigma[1])).observe(y);
  return sx::model(mu, sigma, theta, mixture);
}

// gp_pois_regr (posteriordb; Stan's benchmark gp_pois_regr): data N = 11, x, k;
//   rho ~ gamma(25, 4) (shape, rate), rho > 0; alpha ~ normal(0, 2), alpha > 0;
//   f_tilde[n] ~ normal(0, 1);
//   f = cholesky_decompose(gp_exp_quad_cov(x, alpha, rho) + 1e-10 I) * f_tilde;
//   k[n] ~ poisson_log(f[n]).
inline auto gp_pois_regr_model() {
  const stan_data data = load_data("gp_pois_regr-gp_pois_regr");
  const int N = data.integer("N");
  const Eigen::VectorXd x = data.vector("x");
  const std::vector<int> k = data.int_array("k");
  if (x.size() != N || static_cast<int>(k.size()) != N)
    throw std::runtime_error("gp_pois_regr data: x and k must have N elements");
  auto rho = sx::gamma<"rho">(25.0, 4.0);
  auto alpha = sx::half_normal<"alpha">(2.0);
  auto f_tilde = sx::normal<"f_tilde">(0.0, 1.0, sx::size(N));
  auto f = sx::deterministic<"f">(
      sx::cholesky_decompose(sx::add_diag(sx::gp_exp_quad_cov(x, alpha, rho), 1e-10)) * f_tilde);
  auto obs = sx::poisson_log<"k">(f).observe(k);
  return sx::model(rho, alpha, f_tilde, f, obs);
}

// hmm_example: data N, K = 2, y;
//   theta1, theta2 simplexes (the rows of the transition matrix), flat;
//   mu positive and ordered, mu[1] ~ normal(3, 1), mu[2] ~ normal(10, 1);
//   y[t] ~ normal(mu[z_t], 1) with the states summed out by the forward
//   algorithm, the first state's term the emission alone.
// Stan's model has no initial distribution: sx::hmm_marginal with the uniform
// rho = (1/2, 1/2) differs from it by the constant log(1/2) only.
inline auto hmm_example_model() {
  const stan_data data = load_data("hmm_example-hmm_example");
  const int K = data.integer("K");
  const Eigen::VectorXd y = data.vector("y");
  if (K != 2 || y.size() != data.integer("N"))
    throw std::runtime_error("hmm_example data: K must be 2 and y must have N elements");
  Eigen::VectorXd mu_prior_mean(2);
  mu_prior_mean << 3.0, 10.0;
  const Eigen::VectorXd rho = Eigen::VectorXd::Constant(K, 1.0 / K);

  auto theta1 = sx::flat<"theta1">(sx::simplex(K));
  auto theta2 = sx::flat<"theta2">(sx::simplex(K));
  auto mu = sx::normal<"mu">(mu_prior_mean, 1.0, sx::positive_ordered(K));
  auto log_omega =
      sx::stack_rows(sx::lpdf(sx::normal(mu[0], 1.0), y), sx::lpdf(sx::normal(mu[1], 1.0), y));
  auto hmm = sx::hmm_marginal<"y">(log_omega, sx::stack_rows(theta1, theta2), rho);
  return sx::model(theta1, theta2, mu, hmm);
}

// diamonds (brms's log-log regression, posteriordb; no reference here): data
// N = 5000, Y, K = 25, X (an intercept column and 24 strongly correlated
// predictors); Xc the predictors centred;
//   b[1..24] ~ normal(0, 1); Intercept ~ student_t(3, 8, 10);
//   sigma ~ half-student_t(3, 10); Y ~ normal(Intercept + Xc b, sigma).
// Ill-conditioned: with a diagonal metric NUTS hits the maximum tree depth.
inline auto diamonds_model() {
  const stan_data data = load_data("diamonds-diamonds");
  const int N = data.integer("N");
  const int K = data.integer("K");
  const Eigen::MatrixXd X = data.matrix("X");
  const Eigen::VectorXd Y = data.vector("Y");
  if (X.rows() != N || X.cols() != K || Y.size() != N)
    throw std::runtime_error("diamonds data: X must be N x K and Y must have N elements");
  const Eigen::MatrixXd Xc = X.rightCols(K - 1).rowwise() - X.rightCols(K - 1).colwise().mean();
  auto b = sx::normal<"b">(0.0, 1.0, sx::size(K - 1));
  auto intercept = sx::student_t<"Intercept">(3.0, 8.0, 10.0);
  auto sigma = sx::half_student_t<"sigma">(3.0, 10.0);
  auto y = sx::normal<"Y">(intercept + Xc * b, sigma).observe(Y);
  return sx::model(b, intercept, sigma, y);
}

} // namespace statix_test
