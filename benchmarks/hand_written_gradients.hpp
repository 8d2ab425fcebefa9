#pragma once

// Hand-derived log densities and gradients of the three benchmark models:
// the speed limit a generated gradient is measured against. Plain loops over
// the same unconstrained parameterisation as the Statix models (a positive
// sigma is exp(x) and its log|Jacobian| x is added), with the constant terms
// dropped exactly as Statix does for `propto`: a summand stays only when it
// depends on a parameter (Stan's include_summand rule).

#include "benchmark_data.hpp"

#include <Eigen/Core>

#include <cmath>
#include <vector>

namespace statix_bench {

// x = (mu, log tau, theta_raw[8]); theta = mu + tau * theta_raw.
//   mu ~ normal(0, 5), tau ~ half_cauchy(5), theta_raw ~ normal(0, 1),
//   y ~ normal(theta, sigma).
class eight_schools_gradient {
public:
  explicit eight_schools_gradient(const eight_schools_data& data) : data_(data) {}
  int dim() const { return 2 + static_cast<int>(data_.y.size()); }

  double operator()(const double* x, double* grad) const {
    const int schools = static_cast<int>(data_.y.size());
    const double mu = x[0], log_tau = x[1], tau = std::exp(log_tau);
    double lp = -0.5 * (mu / 5.0) * (mu / 5.0);
    double d_mu = -mu / 25.0;
    const double tau_over_scale = tau / 5.0;
    const double tau_over_scale_2 = tau_over_scale * tau_over_scale;
    // The half-Cauchy kernel -log1p(t^2) from one log and a division
    // (Goldberg's formula, as Statix's density computes it), plus log|J|.
    const double one_plus = 1.0 + tau_over_scale_2;
    lp += -(one_plus == 1.0 ? tau_over_scale_2
                            : std::log(one_plus) * (tau_over_scale_2 / (one_plus - 1.0))) +
          log_tau;
    double d_tau = -2.0 * tau_over_scale / 5.0 / one_plus;
    for (int j = 0; j < schools; ++j) {
      const double theta_raw = x[2 + j];
      const double inv_sigma = 1.0 / data_.sigma[j];
      const double z = (data_.y[j] - (mu + tau * theta_raw)) * inv_sigma;
      lp -= 0.5 * (theta_raw * theta_raw + z * z);
      const double d_theta = z * inv_sigma;
      d_mu += d_theta;
      d_tau += d_theta * theta_raw;
      grad[2 + j] = d_theta * tau - theta_raw;
    }
    grad[0] = d_mu;
    grad[1] = d_tau * tau + 1.0; // chain rule through exp, plus d log|J|
    return lp;
  }

private:
  eight_schools_data data_;
};

// x = (alpha, beta[d]); alpha ~ normal(0, 2.5), beta ~ normal(0, 1),
// y ~ bernoulli_logit(alpha + X beta). X is column-major, so X beta is built
// from column axpys and X^T r from column dot products, both contiguous; four
// columns per pass, so eta is read and written once per four columns and the
// dot products run four independent sums (one running sum would wait on the
// latency of every addition). With EigenProducts the two products are Eigen's
// matrix-vector kernels instead (SIMD, cache-blocked): a second reference,
// since scalar loops at -O2 are slower than those kernels.
template <bool EigenProducts = false>
class logistic_regression_gradient {
public:
  explicit logistic_regression_gradient(const logistic_data& data)
      : data_(data), eta_(data.n), residual_(data.n) {}
  int dim() const { return 1 + data_.d; }

  double operator()(const double* x, double* grad) {
    const int n = data_.n, d = data_.d;
    const double alpha = x[0];
    const double* beta = x + 1;
    double* eta = eta_.data();
    double* residual = residual_.data();
    if constexpr (EigenProducts) {
      Eigen::Map<Eigen::VectorXd>(eta, n).noalias() =
          matrix() * Eigen::Map<const Eigen::VectorXd>(beta, d);
      for (int i = 0; i < n; ++i)
        eta[i] += alpha;
    } else {
      for (int i = 0; i < n; ++i)
        eta[i] = alpha;
      add_product(beta, eta);
    }

    double lp = -0.5 * (alpha / 2.5) * (alpha / 2.5);
    for (int k = 0; k < d; ++k)
      lp -= 0.5 * beta[k] * beta[k];
    // log p(y_i) = -log1p_exp(s), s = -eta for y = 1 and eta for y = 0; one
    // exp(-|s|) gives both the value and d/d eta = y - inv_logit(eta).
    double d_alpha = -alpha / 6.25;
    for (int i = 0; i < n; ++i) {
      const bool one = data_.y[i] == 1;
      const double s = one ? -eta[i] : eta[i];
      const bool positive = s > 0.0;
      const double e = std::exp(positive ? -s : s);
      const double log1p_e = std::log1p(e);
      lp -= positive ? s + log1p_e : log1p_e;
      const double p = (positive ? 1.0 : e) / (1.0 + e); // inv_logit(s)
      residual[i] = one ? p : -p;
      d_alpha += residual[i];
    }
    grad[0] = d_alpha;

    if constexpr (EigenProducts) {
      Eigen::Map<Eigen::VectorXd>(grad + 1, d).noalias() =
          matrix().transpose() * Eigen::Map<const Eigen::VectorXd>(residual, n);
    } else {
      transposed_product(residual, grad + 1);
    }
    for (int k = 0; k < d; ++k)
      grad[1 + k] -= beta[k];
    return lp;
  }

private:
  const double* column(int j) const {
    return data_.X.data() + static_cast<std::size_t>(j) * data_.n;
  }
  Eigen::Map<const Eigen::MatrixXd> matrix() const {
    return Eigen::Map<const Eigen::MatrixXd>(data_.X.data(), data_.n, data_.d);
  }

  // eta += X beta
  void add_product(const double* beta, double* eta) const {
    const int n = data_.n, d = data_.d;
    int j = 0;
    for (; j + 4 <= d; j += 4) {
      const double *c0 = column(j), *c1 = column(j + 1), *c2 = column(j + 2), *c3 = column(j + 3);
      const double b0 = beta[j], b1 = beta[j + 1], b2 = beta[j + 2], b3 = beta[j + 3];
      for (int i = 0; i < n; ++i)
        eta[i] += (c0[i] * b0 + c1[i] * b1) + (c2[i] * b2 + c3[i] * b3);
    }
    for (; j < d; ++j) {
      const double* c = column(j);
      for (int i = 0; i < n; ++i)
        eta[i] += c[i] * beta[j];
    }
  }

  // out = X^T r
  void transposed_product(const double* r, double* out) const {
    const int n = data_.n, d = data_.d;
    int j = 0;
    for (; j + 4 <= d; j += 4) {
      const double *c0 = column(j), *c1 = column(j + 1), *c2 = column(j + 2), *c3 = column(j + 3);
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int i = 0; i < n; ++i) {
        s0 += c0[i] * r[i];
        s1 += c1[i] * r[i];
        s2 += c2[i] * r[i];
        s3 += c3[i] * r[i];
      }
      out[j] = s0;
      out[j + 1] = s1;
      out[j + 2] = s2;
      out[j + 3] = s3;
    }
    for (; j < d; ++j) {
      const double* c = column(j);
      double s0 = 0, s1 = 0;
      int i = 0;
      for (; i + 2 <= n; i += 2) {
        s0 += c[i] * r[i];
        s1 += c[i + 1] * r[i + 1];
      }
      for (; i < n; ++i)
        s0 += c[i] * r[i];
      out[j] = s0 + s1;
    }
  }

  logistic_data data_;
  std::vector<double> eta_;
  std::vector<double> residual_;
};

// x = (mu_a, log sigma_a, mu_b, log sigma_b, log sigma_y, a[J], b[J]);
//   mu_a, mu_b ~ normal(0, 10); sigma_a, sigma_b, sigma_y ~ half_normal(5);
//   a ~ normal(mu_a, sigma_a); b ~ normal(mu_b, sigma_b);
//   y ~ normal(a[county] + b[county] * floor, sigma_y).
class radon_gradient {
public:
  explicit radon_gradient(const radon_data& data) : data_(data) {}
  int dim() const { return 5 + 2 * data_.groups; }

  double operator()(const double* x, double* grad) const {
    const int groups = data_.groups;
    const int rows = static_cast<int>(data_.county.size());
    const double mu_a = x[0], log_sigma_a = x[1], mu_b = x[2], log_sigma_b = x[3],
                 log_sigma_y = x[4];
    const double sigma_a = std::exp(log_sigma_a), sigma_b = std::exp(log_sigma_b),
                 sigma_y = std::exp(log_sigma_y);
    const double* a = x + 5;
    const double* b = x + 5 + groups;
    double* grad_a = grad + 5;
    double* grad_b = grad + 5 + groups;

    // Priors on the hyperparameters, with the log|J| of the three exp's.
    double lp = -0.5 * ((mu_a / 10) * (mu_a / 10) + (mu_b / 10) * (mu_b / 10) +
                        (sigma_a / 5) * (sigma_a / 5) + (sigma_b / 5) * (sigma_b / 5) +
                        (sigma_y / 5) * (sigma_y / 5)) +
                log_sigma_a + log_sigma_b + log_sigma_y;
    double d_mu_a = -mu_a / 100, d_mu_b = -mu_b / 100;
    double d_sigma_a = -sigma_a / 25, d_sigma_b = -sigma_b / 25, d_sigma_y = -sigma_y / 25;

    // a ~ normal(mu_a, sigma_a), b ~ normal(mu_b, sigma_b): -z^2/2 - log sigma each.
    const double inv_sigma_a = 1 / sigma_a, inv_sigma_b = 1 / sigma_b;
    double squares_a = 0, squares_b = 0;
    for (int j = 0; j < groups; ++j) {
      const double za = (a[j] - mu_a) * inv_sigma_a;
      const double zb = (b[j] - mu_b) * inv_sigma_b;
      squares_a += za * za;
      squares_b += zb * zb;
      grad_a[j] = -za * inv_sigma_a;
      grad_b[j] = -zb * inv_sigma_b;
      d_mu_a += za * inv_sigma_a;
      d_mu_b += zb * inv_sigma_b;
    }
    lp += -0.5 * (squares_a + squares_b) - groups * (log_sigma_a + log_sigma_b);
    d_sigma_a += (squares_a - groups) * inv_sigma_a;
    d_sigma_b += (squares_b - groups) * inv_sigma_b;

    // y ~ normal(a[county] + b[county] * floor, sigma_y).
    const double inv_sigma_y = 1 / sigma_y;
    double squares_y = 0;
    for (int i = 0; i < rows; ++i) {
      const int c = data_.county[i];
      const double z = (data_.log_radon[i] - (a[c] + b[c] * data_.floor[i])) * inv_sigma_y;
      squares_y += z * z;
      const double d_mean = z * inv_sigma_y;
      grad_a[c] += d_mean;
      grad_b[c] += d_mean * data_.floor[i];
    }
    lp += -0.5 * squares_y - rows * log_sigma_y;
    d_sigma_y += (squares_y - rows) * inv_sigma_y;

    grad[0] = d_mu_a;
    grad[1] = d_sigma_a * sigma_a + 1;
    grad[2] = d_mu_b;
    grad[3] = d_sigma_b * sigma_b + 1;
    grad[4] = d_sigma_y * sigma_y + 1;
    return lp;
  }

private:
  radon_data data_;
};

} // namespace statix_bench
