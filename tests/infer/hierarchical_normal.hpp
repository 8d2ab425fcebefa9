#pragma once

// The hierarchical normal model of the calibration tests (sbc_test.cpp,
// ensemble_sbc_test.cpp): a non-centred model with J = 4 groups and known
// sigma,
//   mu ~ normal(0, 1); tau ~ half-normal(0, 1); theta_raw[j] ~ normal(0, 1);
//   theta[j] = mu + tau * theta_raw[j]; y[j] ~ normal(theta[j], sigma[j]),
// simulation from it, the chi-square test of uniform ranks, and the exact
// marginal posterior of tau.

#include <statix/modeling.hpp>

#include <boost/math/distributions/chi_squared.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix_test::hierarchical_normal {

namespace sx = statix;

constexpr int groups = 4;
constexpr int bins = 20;

inline const Eigen::Vector4d& known_sigma() {
  static const Eigen::Vector4d sigma(0.5, 1.0, 1.5, 2.0);
  return sigma;
}

inline auto hierarchical_model(const Eigen::VectorXd& y) {
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto tau = sx::half_normal<"tau">(1.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(groups));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto obs = sx::normal<"y">(theta, known_sigma()).observe(y);
  return sx::model(mu, tau, theta_raw, theta, obs);
}

// One simulated data set with the parameters it was drawn from.
struct simulation {
  double mu;
  double tau;
  Eigen::VectorXd theta;
  Eigen::VectorXd y;
};

// Draws from the prior and the sampling distribution, independently of the
// library's own random numbers.
inline simulation simulate(std::mt19937_64& rng) {
  std::normal_distribution<double> z(0.0, 1.0);
  simulation s;
  s.mu = z(rng);
  s.tau = std::abs(z(rng));
  s.theta.resize(groups);
  s.y.resize(groups);
  for (int j = 0; j < groups; ++j)
    s.theta[j] = s.mu + s.tau * z(rng);
  for (int j = 0; j < groups; ++j)
    s.y[j] = s.theta[j] + known_sigma()[j] * z(rng);
  return s;
}

struct uniformity_test {
  std::vector<int> counts;
  double statistic;
  double p_value;
};

// Pearson's chi-square test of a uniform histogram of ranks among L draws
// (0..L): `bins` bins of (L + 1) / bins ranks each, bins - 1 degrees of freedom.
inline uniformity_test chi_square_uniformity(const std::vector<int>& ranks, int L) {
  if ((L + 1) % bins != 0) throw std::logic_error("L + 1 must be a multiple of the bins");
  uniformity_test t{std::vector<int>(bins, 0), 0.0, 0.0};
  for (const int r : ranks)
    ++t.counts[static_cast<std::size_t>(r * bins / (L + 1))];
  const double expected = static_cast<double>(ranks.size()) / bins;
  for (const int c : t.counts)
    t.statistic += (c - expected) * (c - expected) / expected;
  const boost::math::chi_squared_distribution<double> reference(bins - 1);
  t.p_value = boost::math::cdf(boost::math::complement(reference, t.statistic));
  return t;
}

inline std::string histogram_line(const std::string& name, const uniformity_test& t) {
  std::string line = name + ": chi2 = ";
  char number[64];
  std::snprintf(number, sizeof number, "%.2f (%d dof), p = %.4f, counts", t.statistic, bins - 1,
                t.p_value);
  line += number;
  for (const int c : t.counts)
    line += " " + std::to_string(c);
  return line;
}

// Exact marginal posterior of tau for data y: with v_j = sigma_j^2 + tau^2,
// y | tau ~ N(0, diag(v) + 1 1') after integrating mu ~ N(0, 1) and theta out,
// whose log density is (Sherman-Morrison, matrix determinant lemma)
//   -1/2 [sum log v_j + log(1 + S) + sum y_j^2 / v_j - (sum y_j / v_j)^2 / (1 + S)],
// S = sum 1 / v_j, up to a constant; times the half-normal(0, 1) prior. The CDF
// is tabulated by the midpoint rule on a fine grid and interpolated linearly.
class exact_tau_posterior {
public:
  explicit exact_tau_posterior(const Eigen::VectorXd& y, double upper = 10.0, int cells = 40000)
      : width_(upper / cells), mass_(static_cast<std::size_t>(cells)),
        cdf_(static_cast<std::size_t>(cells) + 1, 0.0) {
    std::vector<double> log_density(static_cast<std::size_t>(cells));
    double largest = -std::numeric_limits<double>::infinity();
    for (int g = 0; g < cells; ++g) {
      const double tau = (g + 0.5) * width_;
      double s = 0, sum_y = 0, sum_yy = 0, sum_log_v = 0;
      for (int j = 0; j < groups; ++j) {
        const double v = known_sigma()[j] * known_sigma()[j] + tau * tau;
        s += 1 / v;
        sum_y += y[j] / v;
        sum_yy += y[j] * y[j] / v;
        sum_log_v += std::log(v);
      }
      const double lp =
          -0.5 * tau * tau - 0.5 * (sum_log_v + std::log1p(s) + sum_yy - sum_y * sum_y / (1 + s));
      log_density[static_cast<std::size_t>(g)] = lp;
      largest = std::max(largest, lp);
    }
    double total = 0;
    for (std::size_t g = 0; g < mass_.size(); ++g)
      total += mass_[g] = std::exp(log_density[g] - largest);
    mean_ = 0;
    for (std::size_t g = 0; g < mass_.size(); ++g) {
      mass_[g] /= total;
      cdf_[g + 1] = cdf_[g] + mass_[g];
      mean_ += mass_[g] * (static_cast<double>(g) + 0.5) * width_;
    }
  }

  double cdf(double tau) const {
    const double x = tau / width_;
    if (x >= static_cast<double>(mass_.size())) return 1.0;
    const auto g = static_cast<std::size_t>(x);
    return cdf_[g] + (x - static_cast<double>(g)) * mass_[g];
  }
  double mean() const { return mean_; }

private:
  double width_;
  std::vector<double> mass_, cdf_;
  double mean_ = 0;
};

// Draws of tau (one column per chain) against the exact posterior: the mean
// of tau and of F(tau), F the exact CDF (1/2 for an exact sampler), with z
// scores from the spread of the chains' means (chains are independent).
struct tau_comparison {
  double mean, exact_mean, mean_z, pit, pit_z;
};

inline tau_comparison compare_tau(const Eigen::MatrixXd& tau, const exact_tau_posterior& exact) {
  const auto chains = tau.cols();
  Eigen::VectorXd chain_pit(chains), chain_mean(chains);
  for (Eigen::Index c = 0; c < chains; ++c) {
    double sum = 0;
    for (Eigen::Index i = 0; i < tau.rows(); ++i)
      sum += exact.cdf(tau(i, c));
    chain_pit[c] = sum / static_cast<double>(tau.rows());
    chain_mean[c] = tau.col(c).mean();
  }
  const auto standard_error = [&](const Eigen::VectorXd& v) {
    const double n = static_cast<double>(chains);
    return std::sqrt((v.array() - v.mean()).square().sum() / (n - 1) / n);
  };
  return {chain_mean.mean(), exact.mean(),
          (chain_mean.mean() - exact.mean()) / standard_error(chain_mean), chain_pit.mean(),
          (chain_pit.mean() - 0.5) / standard_error(chain_pit)};
}

} // namespace statix_test::hierarchical_normal
