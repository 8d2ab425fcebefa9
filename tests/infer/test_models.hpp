#pragma once

// Small hand-written models satisfying the model interface the samplers use,
// with analytic gradients, and statistics computed independently of the
// library's diagnostics (batch-means Monte Carlo standard errors).

#include <statix/base/chain_result.hpp>
#include <statix/base/density_options.hpp>
#include <statix/base/fixed_string.hpp>
#include <statix/base/output_slot.hpp>
#include <statix/infer/sampler_options.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace test_models {

using statix::density_options;
using statix::fixed_string;
using statix::named_values;
using statix::output_slot;

inline std::vector<std::string> indexed_names(const std::string& base, int n) {
  std::vector<std::string> names;
  for (int i = 1; i <= n; ++i)
    names.push_back(base + "." + std::to_string(i));
  return names;
}

// Shared plumbing for models with one vector variable "x" recorded as is.
struct vector_x_model {
  int n = 0;
  int dim() const { return n; }
  std::vector<std::string> output_names() const { return indexed_names("x", n); }
  int output_size() const { return n; }
  void write_output(const Eigen::VectorXd& x, double* out) const {
    for (int i = 0; i < n; ++i)
      out[i] = x[i];
  }
  void unconstrain_into(const named_values& values, Eigen::VectorXd& x) const {
    for (const auto& [name, v] : values) {
      if (name != "x") throw std::invalid_argument("unknown variable \"" + name + "\"");
      if (static_cast<int>(v.size()) != n)
        throw std::invalid_argument("variable \"x\" has the wrong size");
      for (int i = 0; i < n; ++i)
        x[i] = v[static_cast<std::size_t>(i)];
    }
  }
  template <fixed_string Name>
  output_slot output_range() const {
    static_assert(Name.view() == "x", "not a variable of this model");
    return {0, n, false};
  }
};

// Independent normals x_i ~ N(mean_i, sd_i).
struct iid_normal_model : vector_x_model {
  Eigen::VectorXd mean, sd;
  iid_normal_model(Eigen::VectorXd m, Eigen::VectorXd s) : mean(std::move(m)), sd(std::move(s)) {
    n = static_cast<int>(mean.size());
  }
  double log_density(const Eigen::VectorXd& x, density_options = {}) const {
    return -0.5 * ((x - mean).array() / sd.array()).square().sum();
  }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                              density_options = {}) const {
    grad = -(x - mean).array() / sd.array().square();
    return -0.5 * ((x - mean).array() / sd.array()).square().sum();
  }
};

// x ~ N(mean, covariance) with a dense covariance.
struct gaussian_model : vector_x_model {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance, precision;
  gaussian_model(Eigen::VectorXd m, Eigen::MatrixXd cov)
      : mean(std::move(m)), covariance(std::move(cov)) {
    n = static_cast<int>(mean.size());
    precision = covariance.llt().solve(Eigen::MatrixXd::Identity(n, n));
  }
  double log_density(const Eigen::VectorXd& x, density_options = {}) const {
    const Eigen::VectorXd r = x - mean;
    return -0.5 * r.dot(precision * r);
  }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                              density_options = {}) const {
    const Eigen::VectorXd r = x - mean;
    grad.noalias() = -(precision * r);
    return 0.5 * r.dot(grad);
  }
};

// Neal's funnel: v ~ N(0, 3), x_k ~ N(0, exp(v / 2)), k = 1..n-1; unconstrained
// vector (v, x_1, ..., x_{n-1}).
struct funnel_model : vector_x_model {
  explicit funnel_model(int dimension) { n = dimension; }
  double log_density(const Eigen::VectorXd& z, density_options = {}) const {
    const double v = z[0];
    const double ss = z.tail(n - 1).squaredNorm();
    return -v * v / 18.0 - 0.5 * ss * std::exp(-v) - 0.5 * (n - 1) * v;
  }
  double log_density_gradient(const Eigen::VectorXd& z, Eigen::VectorXd& grad,
                              density_options = {}) const {
    const double v = z[0];
    const double ev = std::exp(-v);
    const double ss = z.tail(n - 1).squaredNorm();
    grad[0] = -v / 9.0 + 0.5 * ss * ev - 0.5 * (n - 1);
    grad.tail(n - 1) = -ev * z.tail(n - 1);
    return -v * v / 18.0 - 0.5 * ss * ev - 0.5 * (n - 1) * v;
  }
};

// mu ~ N(1, 2); sigma ~ lognormal(0, 1), sampled as u = log(sigma), so that
// with the Jacobian u ~ N(0, 1). Records "mu", "sigma" (constrained).
struct positive_scale_model {
  int dim() const { return 2; }
  std::vector<std::string> output_names() const { return {"mu", "sigma"}; }
  int output_size() const { return 2; }
  double log_density(const Eigen::VectorXd& x, density_options opts = {}) const {
    Eigen::VectorXd g(2);
    return log_density_gradient(x, g, opts);
  }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                              density_options opts = {}) const {
    const double mu = x[0], u = x[1];
    // lognormal(0,1) in sigma is -log(sigma) - u^2/2; the Jacobian adds +u.
    double lp = -0.5 * (mu - 1) * (mu - 1) / 4.0 - 0.5 * u * u - u;
    grad[0] = -(mu - 1) / 4.0;
    grad[1] = -u - 1.0;
    if (opts.jacobian) {
      lp += u;
      grad[1] += 1.0;
    }
    return lp;
  }
  void write_output(const Eigen::VectorXd& x, double* out) const {
    out[0] = x[0];
    out[1] = std::exp(x[1]);
  }
  void unconstrain_into(const named_values& values, Eigen::VectorXd& x) const {
    for (const auto& [name, v] : values) {
      if (v.size() != 1)
        throw std::invalid_argument("variable \"" + name + "\" has the wrong size");
      if (name == "mu")
        x[0] = v[0];
      else if (name == "sigma") {
        if (!(v[0] > 0)) throw std::invalid_argument("variable \"sigma\" must be positive");
        x[1] = std::log(v[0]);
      } else
        throw std::invalid_argument("unknown variable \"" + name + "\"");
    }
  }
  template <fixed_string Name>
  output_slot output_range() const {
    if constexpr (Name.view() == "mu")
      return {0, 1, true};
    else {
      static_assert(Name.view() == "sigma", "not a variable of this model");
      return {1, 1, true};
    }
  }
};

// A non-centred hierarchical normal with known sigma (eight-schools shape):
// mu ~ N(0, 1), tau ~ half-normal(1), theta_raw_j ~ N(0, 1),
// y_j ~ N(mu + tau theta_raw_j, sigma_j). Unconstrained (mu, log tau,
// theta_raw); records mu, tau, theta_raw.
struct hierarchical_normal_model {
  Eigen::VectorXd y, sigma;
  int dim() const { return 2 + static_cast<int>(y.size()); }
  std::vector<std::string> output_names() const {
    std::vector<std::string> names = {"mu", "tau"};
    for (std::string& n : indexed_names("theta_raw", static_cast<int>(y.size())))
      names.push_back(n);
    return names;
  }
  int output_size() const { return dim(); }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad,
                              density_options = {}) const {
    const double mu = x[0], log_tau = x[1], tau = std::exp(log_tau);
    double lp = -0.5 * mu * mu - 0.5 * tau * tau + log_tau; // + log|d tau / d log tau|
    grad[0] = -mu;
    double d_tau = -tau;
    for (int j = 0; j < y.size(); ++j) {
      const double raw = x[2 + j];
      const double residual = y[j] - mu - tau * raw;
      const double scaled = residual / (sigma[j] * sigma[j]);
      lp += -0.5 * raw * raw - 0.5 * residual * scaled;
      grad[0] += scaled;
      d_tau += scaled * raw;
      grad[2 + j] = -raw + tau * scaled;
    }
    grad[1] = tau * d_tau + 1.0;
    return lp;
  }
  double log_density(const Eigen::VectorXd& x, density_options opts = {}) const {
    Eigen::VectorXd g(dim());
    return log_density_gradient(x, g, opts);
  }
  void write_output(const Eigen::VectorXd& x, double* out) const {
    for (int i = 0; i < dim(); ++i)
      out[i] = i == 1 ? std::exp(x[1]) : x[i];
  }
  void unconstrain_into(const named_values&, Eigen::VectorXd&) const {}
};

// The posterior mean of tau in that model, by quadrature of its exact
// marginal: integrating mu and theta out, y | tau ~ N(0, diag(v) + 1 1') with
// v_j = sigma_j^2 + tau^2, whose log density is (Sherman-Morrison and the
// matrix determinant lemma), up to a constant,
//   -1/2 [sum log v_j + log(1 + S) + sum y_j^2 / v_j - (sum y_j / v_j)^2 / (1 + S)],
// S = sum 1 / v_j; times the half-normal prior exp(-tau^2 / 2).
inline double exact_tau_posterior_mean(const hierarchical_normal_model& m) {
  const int cells = 100000;
  const double upper = 12.0, width = upper / cells;
  std::vector<double> log_density(cells);
  double largest = -std::numeric_limits<double>::infinity();
  for (int g = 0; g < cells; ++g) {
    const double tau = (g + 0.5) * width;
    double s = 0, sum_y = 0, sum_yy = 0, sum_log_v = 0;
    for (int j = 0; j < m.y.size(); ++j) {
      const double v = m.sigma[j] * m.sigma[j] + tau * tau;
      s += 1 / v;
      sum_y += m.y[j] / v;
      sum_yy += m.y[j] * m.y[j] / v;
      sum_log_v += std::log(v);
    }
    log_density[static_cast<std::size_t>(g)] =
        -0.5 * tau * tau - 0.5 * (sum_log_v + std::log1p(s) + sum_yy - sum_y * sum_y / (1 + s));
    largest = std::max(largest, log_density[static_cast<std::size_t>(g)]);
  }
  double mass = 0, first_moment = 0;
  for (int g = 0; g < cells; ++g) {
    const double w = std::exp(log_density[static_cast<std::size_t>(g)] - largest);
    mass += w;
    first_moment += w * (g + 0.5) * width;
  }
  return first_moment / mass;
}

// A density that is nowhere finite: initialisation must fail cleanly.
struct nowhere_finite_model : vector_x_model {
  nowhere_finite_model() { n = 3; }
  double log_density(const Eigen::VectorXd&, density_options = {}) const {
    return -std::numeric_limits<double>::infinity();
  }
  double log_density_gradient(const Eigen::VectorXd&, Eigen::VectorXd& grad,
                              density_options = {}) const {
    grad.setConstant(std::numeric_limits<double>::quiet_NaN());
    return -std::numeric_limits<double>::infinity();
  }
};

// A random symmetric positive-definite covariance with unequal scales and
// strong correlations (fixed seed, for test set-up only).
inline Eigen::MatrixXd correlated_covariance(int n, unsigned seed) {
  std::srand(seed);
  Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n);
  Eigen::MatrixXd cov = a * a.transpose() + 0.2 * Eigen::MatrixXd::Identity(n, n);
  Eigen::VectorXd scale = Eigen::VectorXd::LinSpaced(n, 0.5, 3.0);
  return scale.asDiagonal() * cov * scale.asDiagonal();
}

// Column `col` of the post-warm-up draws of every chain, with the batch-means
// Monte Carlo standard error of its mean (batches of ~sqrt(n) draws within
// each chain; their spread around the grand mean estimates the variance of
// the mean, whatever the autocorrelation).
struct column_estimate {
  double mean = 0;
  double variance = 0;
  double mcse = 0;
};

inline column_estimate estimate_column(const std::vector<statix::chain_result>& chains, int col) {
  std::vector<double> all;
  std::vector<double> batch_means;
  long long n_per_chain = chains.front().draws.rows();
  const long long batch = std::max<long long>(1, static_cast<long long>(std::sqrt(n_per_chain)));
  for (const auto& c : chains) {
    const long long n = c.draws.rows();
    for (long long i = 0; i < n; ++i)
      all.push_back(c.draws(i, col));
    for (long long start = 0; start + batch <= n; start += batch)
      batch_means.push_back(c.draws.col(col).segment(start, batch).mean());
  }
  column_estimate e;
  const double total = static_cast<double>(all.size());
  for (double v : all)
    e.mean += v / total;
  for (double v : all)
    e.variance += (v - e.mean) * (v - e.mean) / (total - 1);
  double batch_var = 0;
  for (double b : batch_means)
    batch_var += (b - e.mean) * (b - e.mean) / (static_cast<double>(batch_means.size()) - 1);
  // Var(grand mean) ~ batch_var * batch / total.
  e.mcse = std::sqrt(batch_var * static_cast<double>(batch) / total);
  return e;
}

inline double column_mean(const std::vector<statix::chain_result>& chains, int col) {
  double sum = 0;
  long long n = 0;
  for (const auto& c : chains) {
    sum += c.draws.col(col).sum();
    n += c.draws.rows();
  }
  return sum / static_cast<double>(n);
}

// Sampler columns by position (CmdStan order).
enum sampler_column {
  lp_col = 0,
  accept_stat_col = 1,
  stepsize_col = 2,
  treedepth_col = 3,
  n_leapfrog_col = 4,
  divergent_col = 5,
  energy_col = 6,
  first_output_col = 7
};

} // namespace test_models
