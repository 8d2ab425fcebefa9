#pragma once

// Stan's windowed warm-up (Stan Reference Manual, "HMC algorithm parameters:
// automatic parameter tuning"): a fast initial buffer where only the step size
// adapts, slow windows of doubling length whose draws estimate the metric, and
// a fast terminal buffer where the step size adapts to the final metric.

#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/step_size_action.hpp>
#include <statix/infer/welford.hpp>

#include <Eigen/Dense>

#include <stdexcept>

namespace statix {

// Which warm-up iterations fall in a slow window and where each window ends.
// Iterations are counted from 0; advance() after each one.
class adaptation_windows {
public:
  adaptation_windows(int num_warmup, int init_buffer = 75, int term_buffer = 50,
                     int base_window = 25)
      : num_warmup_(num_warmup), init_buffer_(init_buffer), term_buffer_(term_buffer),
        base_window_(base_window) {
    if (num_warmup < 20) {
      // Too short to estimate anything: Stan adapts the step size only.
      enabled_ = false;
      return;
    }
    if (init_buffer + base_window + term_buffer > num_warmup) {
      // Stan's fallback: 15% initial buffer, 10% terminal buffer, the rest one window.
      init_buffer_ = static_cast<int>(0.15 * num_warmup);
      term_buffer_ = static_cast<int>(0.1 * num_warmup);
      base_window_ = num_warmup - (init_buffer_ + term_buffer_);
      shortened_ = true;
    }
    restart();
  }

  void restart() {
    counter_ = 0;
    window_size_ = base_window_;
    next_window_end_ = init_buffer_ + window_size_ - 1;
  }

  bool enabled() const { return enabled_; }
  bool shortened() const { return shortened_; } // the 15% / 75% / 10% fallback was used
  int init_buffer() const { return init_buffer_; }
  int term_buffer() const { return term_buffer_; }
  int base_window() const { return base_window_; }
  int iteration() const { return counter_; }

  // The current iteration's draw belongs to a slow window.
  bool in_window() const {
    return enabled_ && counter_ >= init_buffer_ && counter_ < num_warmup_ - term_buffer_ &&
           counter_ != num_warmup_;
  }

  // The current iteration is the last of a slow window.
  bool window_ends() const {
    return enabled_ && counter_ == next_window_end_ && counter_ != num_warmup_;
  }

  // Doubles the window; a window that would leave the next one too short to
  // fit before the terminal buffer is stretched to reach it.
  void compute_next_window() {
    const int last = num_warmup_ - term_buffer_ - 1;
    if (next_window_end_ == last) return;
    window_size_ *= 2;
    next_window_end_ = counter_ + window_size_;
    if (next_window_end_ == last) return;
    const int following_end = next_window_end_ + 2 * window_size_;
    if (following_end >= num_warmup_ - term_buffer_) next_window_end_ = last;
  }

  void advance() { ++counter_; }

private:
  int num_warmup_;
  int init_buffer_, term_buffer_, base_window_;
  bool enabled_ = true;
  bool shortened_ = false;
  int counter_ = 0;
  int window_size_ = 0;
  int next_window_end_ = 0;
};

// Estimates the inverse metric from the draws of each slow window and
// regularises it toward 1e-3 I as Stan does: (n / (n + 5)) S + 1e-3 (5 / (n + 5)) I.
class windowed_metric_adaptation {
public:
  windowed_metric_adaptation(metric kind, int dim, const adaptation_windows& windows)
      : kind_(kind), windows_(windows), variance_(kind == metric::diag ? dim : 0),
        covariance_(kind == metric::dense ? dim : 0) {
    if (kind_ == metric::diag) var_ = Eigen::VectorXd::Zero(dim);
    if (kind_ == metric::dense) covar_ = Eigen::MatrixXd::Zero(dim, dim);
  }

  const adaptation_windows& windows() const { return windows_; }

  // Feeds the draw of one warm-up iteration. At the end of a slow window the
  // new inverse metric is set on `target` and the caller re-initialises the
  // step size.
  step_size_action learn(const Eigen::VectorXd& q, euclidean_metric& target) {
    if (kind_ == metric::unit) {
      windows_.advance();
      return step_size_action::keep;
    }
    if (windows_.in_window()) {
      if (kind_ == metric::dense)
        covariance_.add_sample(q);
      else
        variance_.add_sample(q);
    }
    if (!windows_.window_ends()) {
      windows_.advance();
      return step_size_action::keep;
    }
    windows_.compute_next_window();
    // Stan's estimators leave the estimate alone with fewer than two draws (a
    // first window of one draw, adapt_window = 1): the current inverse metric
    // is then regularised as a window's estimate would be.
    if (kind_ == metric::dense) {
      const double n = static_cast<double>(covariance_.num_samples());
      if (covariance_.num_samples() > 1)
        covariance_.sample_covariance(covar_);
      else
        covar_ = target.inverse_metric();
      covar_ *= n / (n + 5.0);
      covar_.diagonal().array() += 1e-3 * (5.0 / (n + 5.0));
      check_finite(covar_.allFinite());
      target.set_dense(covar_);
      covariance_.restart();
    } else {
      const double n = static_cast<double>(variance_.num_samples());
      if (variance_.num_samples() > 1)
        variance_.sample_variance(var_);
      else
        var_ = target.inverse_metric().col(0);
      var_ = (n / (n + 5.0)) * var_.array() + 1e-3 * (5.0 / (n + 5.0));
      check_finite(var_.allFinite());
      target.set_diagonal(var_);
      variance_.restart();
    }
    windows_.advance();
    return step_size_action::reinitialise;
  }

private:
  static void check_finite(bool finite) {
    if (!finite)
      throw std::runtime_error(
          "statix: numerical overflow in metric adaptation: the warm-up draws have non-finite "
          "variance; check the model (improper posterior?) or give tighter priors");
  }

  metric kind_;
  adaptation_windows windows_;
  welford_variance variance_;
  welford_covariance covariance_;
  Eigen::VectorXd var_;
  Eigen::MatrixXd covar_;
};

} // namespace statix
