#pragma once

// Models whose posterior is known in closed form, for the approximate
// inference tests (ADVI, Pathfinder): a normal mean with known variance, a
// Bayesian linear regression with known noise (an exactly Gaussian, strongly
// correlated posterior), and a gamma-Poisson rate (a constrained parameter).

#include <statix/modeling.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <numeric>
#include <vector>

namespace conjugate {

namespace sx = statix;

// mu ~ N(1, 2^2), y_i ~ N(mu, 1.5^2): mu | y ~ N(mean(), sd()^2).
struct normal_mean {
  double prior_mean = 1.0, prior_sd = 2.0, sigma = 1.5;
  std::vector<double> y = {2.1, 3.4, 0.7, 2.9, 1.8, 4.2, 2.5};
  double n() const { return static_cast<double>(y.size()); }
  double sum() const { return std::accumulate(y.begin(), y.end(), 0.0); }
  double precision() const { return 1 / (prior_sd * prior_sd) + n() / (sigma * sigma); }
  double mean() const {
    return (prior_mean / (prior_sd * prior_sd) + sum() / (sigma * sigma)) / precision();
  }
  double sd() const { return 1 / std::sqrt(precision()); }
  // log p(y): y ~ N(prior_mean 1, sigma^2 I + prior_sd^2 1 1'), by Sherman-Morrison.
  double log_evidence() const {
    const double s2 = sigma * sigma, t2 = prior_sd * prior_sd;
    double rr = 0, r = 0;
    for (double v : y) {
      rr += (v - prior_mean) * (v - prior_mean);
      r += v - prior_mean;
    }
    const double quadratic = rr / s2 - t2 * r * r / (s2 * (s2 + n() * t2));
    const double log_det = n() * std::log(s2) + std::log1p(n() * t2 / s2);
    return -0.5 * n() * std::log(2 * M_PI) - 0.5 * log_det - 0.5 * quadratic;
  }
  auto model() const {
    auto mu = sx::normal<"mu">(prior_mean, prior_sd);
    auto obs = sx::normal<"y">(mu, sigma).observe(y);
    return sx::model(mu, obs);
  }
};

// y = X beta + e, e ~ N(0, sigma^2 I), beta_j ~ N(0, tau^2): beta | y ~
// N(mean(), precision()^-1), precision = X'X / sigma^2 + I / tau^2,
// mean = precision^-1 X'y / sigma^2. Columns 2 and 3 of X are nearly
// collinear: beta_2 and beta_3 have posterior correlation -0.95.
struct linear_regression {
  double sigma = 1.0, tau = 5.0;
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  linear_regression() {
    const int n = 20;
    X.resize(n, 3);
    y.resize(n);
    for (int i = 0; i < n; ++i) {
      const double t = -1.0 + 2.0 * i / (n - 1.0);
      X(i, 0) = 1.0;
      X(i, 1) = t;
      X(i, 2) = t + 0.25 * std::sin(3.0 * i);
      y[i] = 0.5 + 1.0 * X(i, 1) - 2.0 * X(i, 2) + 0.8 * std::cos(1.7 * i);
    }
  }
  Eigen::MatrixXd precision() const {
    return X.transpose() * X / (sigma * sigma) + Eigen::MatrixXd::Identity(3, 3) / (tau * tau);
  }
  Eigen::MatrixXd covariance() const { return precision().inverse(); }
  Eigen::VectorXd mean() const { return covariance() * X.transpose() * y / (sigma * sigma); }
  Eigen::VectorXd sd() const { return covariance().diagonal().array().sqrt(); }
  auto model() const {
    auto beta = sx::normal<"beta">(0.0, tau, sx::size(3));
    auto obs = sx::normal<"y">(X * beta, sigma).observe(y);
    return sx::model(beta, obs);
  }
};

// lambda ~ gamma(3, 2), y_i ~ Poisson(lambda): lambda | y ~ gamma(shape(), rate()).
struct gamma_poisson {
  double a = 3.0, b = 2.0;
  std::vector<int> y = {4, 2, 5, 3, 6, 1, 4, 3};
  double n() const { return static_cast<double>(y.size()); }
  double sum() const { return std::accumulate(y.begin(), y.end(), 0.0); }
  double shape() const { return a + sum(); }
  double rate() const { return b + n(); }
  // log density of u = log lambda, Jacobian included, every constant kept.
  double log_density_log_scale(double u) const {
    const double lambda = std::exp(u);
    double lp = a * std::log(b) - std::lgamma(a) + (a - 1) * u - b * lambda + u;
    for (int k : y)
      lp += k * u - lambda - std::lgamma(k + 1.0);
    return lp;
  }
  double mean() const { return shape() / rate(); }
  double sd() const { return std::sqrt(shape()) / rate(); }
  auto model() const {
    auto lambda = sx::gamma<"lambda">(a, b);
    auto obs = sx::poisson<"y">(lambda).observe(y);
    return sx::model(lambda, obs);
  }
};

} // namespace conjugate
