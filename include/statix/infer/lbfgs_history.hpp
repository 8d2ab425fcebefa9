#pragma once

// The limited-memory BFGS approximation of the inverse Hessian (Nocedal 1980;
// Nocedal & Wright 2006, Algorithm 7.4, the two-loop recursion): the last m
// pairs s = x_{k+1} - x_k, y = g_{k+1} - g_k, and the initial matrix
// gamma I with gamma = s'y / y'y from the newest pair, as Stan's LBFGSUpdate.

#include <Eigen/Dense>

#include <cmath>
#include <deque>
#include <vector>

namespace statix {

class lbfgs_history {
public:
  explicit lbfgs_history(int size = 5) : size_(size < 1 ? 1 : size) {}

  int size() const { return static_cast<int>(pairs_.size()); }
  int capacity() const { return size_; }

  // Adds a pair. With `reset` the older pairs are forgotten and the return
  // value is y'y / s'y, the scale of the initial Hessian that Stan uses to
  // rescale the step; otherwise 1. A pair without positive curvature
  // (s'y <= 0, which a strong Wolfe step rules out but rounding may give) is
  // not kept: it would make the approximation indefinite.
  double update(const Eigen::VectorXd& y, const Eigen::VectorXd& s, bool reset = false) {
    const double sy = s.dot(y);
    const double yy = y.squaredNorm();
    if (reset) pairs_.clear();
    if (!(sy > 0.0) || !(yy > 0.0) || !std::isfinite(sy) || !std::isfinite(yy)) return 1.0;
    if (static_cast<int>(pairs_.size()) == size_) pairs_.pop_front();
    pairs_.push_back({1.0 / sy, y, s});
    gamma_ = sy / yy;
    return reset ? yy / sy : 1.0;
  }

  // p = -H g by the two-loop recursion.
  void search_direction(Eigen::VectorXd& p, const Eigen::VectorXd& g) const {
    p = -g;
    alphas_.resize(pairs_.size());
    for (std::size_t k = pairs_.size(); k-- > 0;) {
      const pair& q = pairs_[k];
      alphas_[k] = q.rho * q.s.dot(p);
      p.noalias() -= alphas_[k] * q.y;
    }
    p *= gamma_;
    for (std::size_t k = 0; k < pairs_.size(); ++k) {
      const pair& q = pairs_[k];
      const double beta = q.rho * q.y.dot(p);
      p.noalias() += (alphas_[k] - beta) * q.s;
    }
  }

private:
  struct pair {
    double rho; // 1 / s'y
    Eigen::VectorXd y, s;
  };
  int size_;
  std::deque<pair> pairs_;
  double gamma_ = 1.0;
  mutable std::vector<double> alphas_;
};

} // namespace statix
