#pragma once

// Independent hand-written log densities of the test models (unconstrained
// parameterisation, Jacobians included), written directly from the
// mathematics with std:: functions: the oracle for the generated code.

#include <Eigen/Core>

#include <cmath>
#include <random>
#include <vector>

namespace statix_test {

inline constexpr double log_two_pi = 1.8378770664093454835606594728112;
inline constexpr double pi = 3.14159265358979323846264338327950288;

inline double normal_lpdf(double y, double mu, double sigma) {
  const double z = (y - mu) / sigma;
  return -0.5 * z * z - std::log(sigma) - 0.5 * log_two_pi;
}
inline double half_cauchy_lpdf(double y, double s) {
  return std::log(2.0) - std::log(pi) - std::log(s) - std::log1p((y / s) * (y / s));
}
inline double bernoulli_logit_lpmf(int y, double a) {
  // log inv_logit(a) = -log1p(exp(-a)); written both ways for stability
  const double log_p = a > 0 ? -std::log1p(std::exp(-a)) : a - std::log1p(std::exp(a));
  const double log_1mp = a > 0 ? -a - std::log1p(std::exp(-a)) : -std::log1p(std::exp(a));
  return y == 1 ? log_p : log_1mp;
}

struct eight_schools_data {
  Eigen::VectorXd y{{28, 8, -3, 7, -1, 1, 18, 12}};
  Eigen::VectorXd sigma{{15, 10, 16, 11, 9, 11, 10, 18}};
};

// x = (mu, log tau, theta_raw[8])
inline double eight_schools_noncentered(const Eigen::VectorXd& x, const eight_schools_data& d) {
  const double mu = x[0], tau = std::exp(x[1]);
  double lp = normal_lpdf(mu, 0, 5) + half_cauchy_lpdf(tau, 5) + x[1];
  for (int j = 0; j < 8; ++j) {
    lp += normal_lpdf(x[2 + j], 0, 1);
    lp += normal_lpdf(d.y[j], mu + tau * x[2 + j], d.sigma[j]);
  }
  return lp;
}

struct logistic_data {
  Eigen::MatrixXd X;
  std::vector<int> y;
};
inline logistic_data make_logistic_data(int n, int d, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  logistic_data out{Eigen::MatrixXd(n, d), std::vector<int>(n)};
  Eigen::VectorXd beta(d);
  for (int j = 0; j < d; ++j)
    beta[j] = 0.5 * z(g);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      out.X(i, j) = z(g);
  std::uniform_real_distribution<double> u;
  for (int i = 0; i < n; ++i) {
    const double eta = 0.3 + out.X.row(i).dot(beta);
    out.y[i] = u(g) < 1 / (1 + std::exp(-eta)) ? 1 : 0;
  }
  return out;
}
// x = (alpha, beta[d]); alpha ~ normal(0, 2.5), beta ~ normal(0, 1)
inline double logistic_regression(const Eigen::VectorXd& x, const logistic_data& d) {
  const int n = static_cast<int>(d.X.rows()), k = static_cast<int>(d.X.cols());
  double lp = normal_lpdf(x[0], 0, 2.5);
  for (int j = 0; j < k; ++j)
    lp += normal_lpdf(x[1 + j], 0, 1);
  for (int i = 0; i < n; ++i) {
    double eta = x[0];
    for (int j = 0; j < k; ++j)
      eta += d.X(i, j) * x[1 + j];
    lp += bernoulli_logit_lpmf(d.y[i], eta);
  }
  return lp;
}

// Radon-style varying intercepts and slopes:
// mu_a ~ N(0, 10), sigma_a ~ half-normal(0, 5) ... see radon_model in the tests.
struct radon_data {
  int groups;
  std::vector<int> county; // 0-based
  Eigen::VectorXd floor;
  Eigen::VectorXd log_radon;
};
inline radon_data make_radon_data(int groups, int rows, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::uniform_int_distribution<int> pick(0, groups - 1);
  std::bernoulli_distribution b(0.3);
  radon_data d{groups, std::vector<int>(rows), Eigen::VectorXd(rows), Eigen::VectorXd(rows)};
  std::vector<double> a(groups), s(groups);
  for (int k = 0; k < groups; ++k) {
    a[k] = 1.5 + 0.3 * z(g);
    s[k] = -0.6 + 0.2 * z(g);
  }
  for (int i = 0; i < rows; ++i) {
    d.county[i] = i < groups ? i : pick(g);
    d.floor[i] = b(g) ? 1.0 : 0.0;
    d.log_radon[i] = a[d.county[i]] + s[d.county[i]] * d.floor[i] + 0.7 * z(g);
  }
  return d;
}
inline double half_normal_lpdf(double y, double s) {
  return std::log(2.0) + normal_lpdf(y, 0, s);
}
// x = (mu_a, log sigma_a, mu_b, log sigma_b, log sigma_y, a[J], b[J]) — centred
inline double radon(const Eigen::VectorXd& x, const radon_data& d) {
  const int J = d.groups;
  const double mu_a = x[0], sigma_a = std::exp(x[1]), mu_b = x[2], sigma_b = std::exp(x[3]),
               sigma_y = std::exp(x[4]);
  double lp = normal_lpdf(mu_a, 0, 10) + half_normal_lpdf(sigma_a, 5) + x[1] +
              normal_lpdf(mu_b, 0, 10) + half_normal_lpdf(sigma_b, 5) + x[3] +
              half_normal_lpdf(sigma_y, 5) + x[4];
  for (int j = 0; j < J; ++j) {
    lp += normal_lpdf(x[5 + j], mu_a, sigma_a);
    lp += normal_lpdf(x[5 + J + j], mu_b, sigma_b);
  }
  for (std::size_t i = 0; i < d.county.size(); ++i) {
    const int c = d.county[i];
    lp += normal_lpdf(d.log_radon[i], x[5 + c] + x[5 + J + c] * d.floor[i], sigma_y);
  }
  return lp;
}

} // namespace statix_test
