#pragma once

// Step-size adaptation by Nesterov's dual averaging of log(step size) toward a
// target mean acceptance statistic (Hoffman & Gelman 2014, sec. 3.2.1 and
// Algorithm 5; Nesterov 2009), with Stan's defaults gamma = 0.05, t0 = 10,
// kappa = 0.75 and shrinkage point mu = log(10 eps).

#include <algorithm>
#include <cmath>

namespace statix {

class dual_averaging {
public:
  dual_averaging(double target_accept, double gamma = 0.05, double kappa = 0.75, double t0 = 10.0)
      : delta_(target_accept), gamma_(gamma), kappa_(kappa), t0_(t0) {}

  void set_mu(double mu) { mu_ = mu; }
  double mu() const { return mu_; }

  // Forgets the history (after a metric update); mu is kept.
  void restart() {
    counter_ = 0;
    s_bar_ = 0;
    x_bar_ = 0;
  }

  int iterations() const { return counter_; }

  // One update from the acceptance statistic of the last transition; returns
  // the step size for the next one, exp(x_t).
  double learn(double accept_stat) {
    ++counter_;
    accept_stat = std::min(accept_stat, 1.0);
    const double t = counter_;
    const double eta = 1.0 / (t + t0_);
    s_bar_ = (1.0 - eta) * s_bar_ + eta * (delta_ - accept_stat);
    const double x = mu_ - s_bar_ * std::sqrt(t) / gamma_;
    const double x_eta = std::pow(t, -kappa_);
    x_bar_ = (1.0 - x_eta) * x_bar_ + x_eta * x;
    return std::exp(x);
  }

  // The step size to sample with once warm-up ends: exp of the averaged iterate.
  double final_step_size() const { return std::exp(x_bar_); }

private:
  double delta_, gamma_, kappa_, t0_;
  double mu_ = std::log(10.0);
  int counter_ = 0;
  double s_bar_ = 0; // running average of (target - accept_stat)
  double x_bar_ = 0; // weighted average of the log step sizes
};

} // namespace statix
