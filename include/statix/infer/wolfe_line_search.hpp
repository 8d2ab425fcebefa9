#pragma once

// A line search for the strong Wolfe conditions (Nocedal & Wright 2006,
// Algorithms 3.5 and 3.6: bracketing by growing the step, then zooming in by
// safeguarded cubic interpolation), with the settings of Stan's L-BFGS
// (stan/optimization/bfgs_linesearch.hpp): c1 = 1e-4, c2 = 0.9, the step
// grown tenfold, 20 bracketing iterations, every fifth zoom step a bisection.
// It minimises f along x0 + alpha p. A point where f or its gradient is not
// finite is a failed trial: the step is halved back towards the last good one
// (at most 10 times in a row), never an exception.

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

namespace statix {

struct line_search_settings {
  double c1 = 1e-4;                // sufficient decrease
  double c2 = 0.9;                 // curvature (strong Wolfe)
  double min_step = 1e-12;         // Stan's minAlpha, the lower end of the interpolated first step
  int max_iterations = 20;         // bracketing steps with finite values
  int max_failed_evaluations = 10; // consecutive non-finite trials before giving up
  int max_zoom_iterations = 100;
  double min_bracket = 1e-16; // a zoom interval narrower than this fails
};

// The minimiser over [lower, upper] of the cubic c(t) with c(0) = 0,
// c'(0) = slope0, c(t1) = value1, c'(t1) = slope1: the better of the ends and
// the critical points inside. Used for Stan's first trial step of an
// iteration from the previous line search.
inline double cubic_minimizer(double slope0, double t1, double value1, double slope1, double lower,
                              double upper) {
  // c(t) = a t^3 + b t^2 + slope0 t
  const double a = ((slope0 + slope1) * t1 - 2.0 * value1) / (t1 * t1 * t1);
  const double b = (3.0 * value1 - (2.0 * slope0 + slope1) * t1) / (t1 * t1);
  const auto cubic = [&](double t) { return ((a * t + b) * t + slope0) * t; };
  double best = lower, best_value = cubic(lower);
  const auto consider = [&](double t) {
    if (!(t >= lower && t <= upper)) return; // also drops NaN
    const double v = cubic(t);
    if (v < best_value) {
      best = t;
      best_value = v;
    }
  };
  consider(upper);
  // c'(t) = 3a t^2 + 2b t + slope0 = 0
  if (a != 0.0) {
    const double discriminant = b * b - 3.0 * a * slope0;
    if (discriminant >= 0.0) {
      const double root = std::sqrt(discriminant);
      consider((-b + root) / (3.0 * a));
      consider((-b - root) / (3.0 * a));
    }
  } else if (b != 0.0) {
    consider(-slope0 / (2.0 * b));
  }
  return best;
}

// One trial of a line search: the step, f there and the directional derivative.
struct line_search_trial {
  double step = 0;
  double value = 0;
  double slope = 0;
};

// Minimises along x0 + alpha p, p a descent direction (g0'p < 0). `evaluate(x,
// f, g)` returns false when f or g is not finite. On success returns true with
// the accepted step in `step` and x, f, g there in x1, f1, g1; `step` holds the
// first trial on entry.
template <class Evaluate>
bool wolfe_line_search(Evaluate&& evaluate, const Eigen::VectorXd& x0, double f0,
                       const Eigen::VectorXd& g0, const Eigen::VectorXd& p, double& step,
                       Eigen::VectorXd& x1, double& f1, Eigen::VectorXd& g1,
                       const line_search_settings& settings = {}) {
  const double slope0 = g0.dot(p);
  if (!(slope0 < 0.0)) return false;
  const double decrease = settings.c1 * slope0;   // < 0
  const double curvature = -settings.c2 * slope0; // > 0

  const auto try_step = [&](double alpha, line_search_trial& trial) {
    x1.noalias() = x0 + alpha * p;
    if (!evaluate(x1, f1, g1)) return false;
    trial = {alpha, f1, g1.dot(p)};
    return true;
  };

  // Algorithm 3.6: `low` satisfies sufficient decrease and has the lowest value
  // seen; the interval between low and high holds a Wolfe step.
  const auto zoom = [&](line_search_trial low, line_search_trial high) {
    for (int iteration = 1; iteration <= settings.max_zoom_iterations; ++iteration) {
      const double width = std::fabs(high.step - low.step);
      if (width < settings.min_bracket || std::nextafter(low.step, high.step) == high.step)
        return false;
      double alpha;
      if (iteration % 5 == 0) {
        alpha = 0.5 * (low.step + high.step);
      } else {
        // Minimiser of the cubic through both ends (Nocedal & Wright, eq. 3.59),
        // kept off the last 1 % at either end.
        const double d1 =
            low.slope + high.slope - 3.0 * (low.value - high.value) / (low.step - high.step);
        double d2 = std::sqrt(d1 * d1 - low.slope * high.slope);
        if (high.step < low.step) d2 = -d2;
        alpha = high.step -
                (high.step - low.step) * (high.slope + d2 - d1) / (high.slope - low.slope + 2 * d2);
        const double lo = std::min(low.step, high.step), hi = std::max(low.step, high.step);
        if (!std::isfinite(alpha) || alpha < lo + 0.01 * width || alpha > hi - 0.01 * width)
          alpha = 0.5 * (low.step + high.step);
      }
      line_search_trial trial;
      int failures = 0;
      while (!try_step(alpha, trial)) {
        // Back towards low, which has finite values.
        const double previous = alpha;
        alpha = 0.5 * (alpha + low.step);
        if (++failures > settings.max_failed_evaluations || alpha == previous ||
            std::fabs(alpha - low.step) < settings.min_bracket)
          return false;
      }
      if (trial.value > f0 + trial.step * decrease || trial.value >= low.value) {
        high = trial;
      } else {
        if (std::fabs(trial.slope) <= curvature) {
          step = trial.step;
          return true;
        }
        if (trial.slope * (high.step - low.step) >= 0) high = low;
        low = trial;
      }
    }
    return false;
  };

  line_search_trial previous{0.0, f0, slope0};
  double alpha = step;
  int failures = 0;
  for (int iteration = 0; iteration < settings.max_iterations;) {
    line_search_trial trial;
    if (!try_step(alpha, trial)) {
      if (++failures > settings.max_failed_evaluations) return false;
      alpha = 0.5 * (previous.step + alpha);
      continue;
    }
    failures = 0;
    if (trial.value > f0 + alpha * decrease || (iteration > 0 && trial.value >= previous.value))
      return zoom(previous, trial);
    if (std::fabs(trial.slope) <= curvature) {
      step = alpha;
      return true;
    }
    if (trial.slope >= 0) return zoom(trial, previous);
    previous = trial;
    alpha *= 10.0;
    ++iteration;
  }
  return false;
}

} // namespace statix
