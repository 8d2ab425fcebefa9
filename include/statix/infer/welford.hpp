#pragma once

// Running mean and (co)variance in one pass (Welford 1962), numerically
// stable and allocation-free once constructed.

#include <Eigen/Dense>

namespace statix {

class welford_variance {
public:
  explicit welford_variance(int dim)
      : mean_(Eigen::VectorXd::Zero(dim)), m2_(Eigen::VectorXd::Zero(dim)),
        delta_(Eigen::VectorXd::Zero(dim)) {}

  void restart() {
    n_ = 0;
    mean_.setZero();
    m2_.setZero();
  }

  void add_sample(const Eigen::VectorXd& x) {
    ++n_;
    delta_ = x - mean_;
    mean_.noalias() += delta_ / static_cast<double>(n_);
    m2_.array() += delta_.array() * (x - mean_).array();
  }

  long long num_samples() const { return n_; }
  const Eigen::VectorXd& mean() const { return mean_; }

  // Unbiased sample variance (n - 1 in the denominator); needs n >= 2.
  void sample_variance(Eigen::VectorXd& out) const { out = m2_ / (static_cast<double>(n_) - 1.0); }

private:
  long long n_ = 0;
  Eigen::VectorXd mean_, m2_, delta_;
};

class welford_covariance {
public:
  explicit welford_covariance(int dim)
      : mean_(Eigen::VectorXd::Zero(dim)), m2_(Eigen::MatrixXd::Zero(dim, dim)),
        delta_(Eigen::VectorXd::Zero(dim)), delta_new_(Eigen::VectorXd::Zero(dim)) {}

  void restart() {
    n_ = 0;
    mean_.setZero();
    m2_.setZero();
  }

  void add_sample(const Eigen::VectorXd& x) {
    ++n_;
    delta_ = x - mean_;
    mean_.noalias() += delta_ / static_cast<double>(n_);
    delta_new_ = x - mean_;
    m2_.noalias() += delta_new_ * delta_.transpose();
  }

  long long num_samples() const { return n_; }
  const Eigen::VectorXd& mean() const { return mean_; }

  // Unbiased sample covariance, made exactly symmetric; needs n >= 2.
  void sample_covariance(Eigen::MatrixXd& out) const {
    out = (0.5 / (static_cast<double>(n_) - 1.0)) * (m2_ + m2_.transpose());
  }

private:
  long long n_ = 0;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd m2_;
  Eigen::VectorXd delta_, delta_new_;
};

} // namespace statix
