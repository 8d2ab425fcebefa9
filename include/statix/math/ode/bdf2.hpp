#pragma once

#include "statix/math/ode/dormand_prince.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

// A variable-step BDF2 for stiff systems, with forward sensitivities by the
// staggered direct method (Caracotsios & Stewart 1985; CVODES's
// "staggered"): each step solves the state's implicit equation by Newton
// iterations with the exact Jacobian, then the sensitivities' equation,
// linear in S, exactly with the Jacobian at the new state:
//   (I - h beta J(y_new)) S_new = psi_S + h beta f_p(y_new) seeds.
// The variable-coefficient formula (omega = h_n / h_{n-1}):
//   y_new - (1+w)^2/(1+2w) y_n + w^2/(1+2w) y_{n-1} = h (1+w)/(1+2w) f(t_new, y_new).
// The local error is Milne's estimate from a quadratic predictor through
// the last three points, 2/11 (y_new - y_pred) (the constant-step ratio of
// the error constants), on the state and the sensitivities together. The
// first step is backward Euler at a step well below the tolerance's.
//
// The system: n() states, columns() sensitivity columns; rhs(t, y, dy);
// jacobian(t, y, J) (n x n, column major); param_rhs(t, y, F) (n x p, the
// derivative of f along each column's seeds of the inputs other than y).
namespace statix::math::ode {

template <class System, class Observe>
solve_info bdf2(System& sys, double* y0, const double* s0, double t0, const double* ts, int nt,
                const tolerances& requested, Observe&& observe) {
  // Each step's error is held to 1e-3 of the tolerance asked for: the
  // global error of this order-2 method is the sum of many steps' errors
  // (measured: 50x rel_tol on exponential decay at 1e-6 and 240x at 1e-8
  // when held to the tolerance itself), and so comes back near it for
  // about 10x the steps. Newton's iterations are held to the same scale.
  const tolerances tol{requested.rel_tol * 1e-3, requested.abs_tol * 1e-3, requested.max_steps};
  using Eigen::MatrixXd;
  using Eigen::VectorXd;
  const int k = sys.n(), p = sys.columns();
  solve_info info;
  VectorXd y = Eigen::Map<VectorXd>(y0, k);
  MatrixXd s = Eigen::Map<const MatrixXd>(s0, k, p);
  VectorXd y_prev = y, y_prev2 = y, f(k), g(k), y_new(k), y_pred(k);
  MatrixXd s_prev = s, s_prev2 = s, s_new(k, p), s_pred(k, p), fp(k, p), jac(k, k), out_s(k, p);
  double t = t0, h_prev = 0, h_prev2 = 0;
  int history = 0; // how many past steps are stored (0, 1 or 2+)
  auto rhs = [&](double tt, const VectorXd& v, VectorXd& dv) {
    sys.rhs(tt, v.data(), dv.data());
    ++info.rhs_evaluations;
  };
  auto finite = [](const auto& m) { return m.allFinite(); };
  if (!finite(y)) {
    info.status = solve_status::non_finite;
    return info;
  }
  rhs(t, y, f);
  // A starting step for backward Euler: its error h^2/2 |y''| ~ h^2/2 |J f|.
  double h;
  {
    double d1 = 0;
    for (int i = 0; i < k; ++i)
      d1 = std::max(d1, std::abs(f[i]) / (tol.abs_tol + tol.rel_tol * std::abs(y[i])));
    h = d1 > 0 ? 0.01 / d1 : 1e-4;
    h = std::min({h, 1e-3 * (ts[nt - 1] - t0), 1e-3});
  }
  Eigen::PartialPivLU<MatrixXd> lu;
  for (int out = 0; out < nt; ++out) {
    const double target = ts[out];
    long steps_here = 0;
    while (t < target) {
      if (++steps_here > tol.max_steps) {
        info.status = solve_status::too_many_steps;
        return info;
      }
      ++info.steps;
      double step = std::min(h, target - t);
      if (target - (t + step) < 1e-12 * std::max(1.0, std::abs(target))) step = target - t;
      const bool clipped = step < h;
      if (!(step > 4 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(t)))) {
        info.status = solve_status::step_size_underflow;
        return info;
      }
      const double t_new = t + step;
      // Coefficients: backward Euler for the first step, BDF2 after.
      double a0, a1, beta;
      if (history == 0) {
        a0 = 1;
        a1 = 0;
        beta = 1;
      } else {
        const double w = step / h_prev;
        a0 = (1 + w) * (1 + w) / (1 + 2 * w);
        a1 = -w * w / (1 + 2 * w);
        beta = (1 + w) / (1 + 2 * w);
      }
      // Predictor: through the last points (linear with one, quadratic with two).
      if (history == 0) {
        y_pred = y + step * f;
      } else if (history == 1) {
        y_pred = y + (step / h_prev) * (y - y_prev);
        s_pred = s + (step / h_prev) * (s - s_prev);
      } else {
        const double ta = t - h_prev - h_prev2, tb = t - h_prev, tc = t;
        const double la = (t_new - tb) * (t_new - tc) / ((ta - tb) * (ta - tc));
        const double lb = (t_new - ta) * (t_new - tc) / ((tb - ta) * (tb - tc));
        const double lc = (t_new - ta) * (t_new - tb) / ((tc - ta) * (tc - tb));
        y_pred = la * y_prev2 + lb * y_prev + lc * y;
        s_pred = la * s_prev2 + lb * s_prev + lc * s;
      }
      const VectorXd psi = a0 * y + a1 * y_prev;
      // Newton on y_new - psi - h beta f(t_new, y_new) = 0.
      sys.jacobian(t_new, y_pred.data(), jac.data());
      lu.compute(MatrixXd::Identity(k, k) - step * beta * jac);
      y_new = y_pred;
      bool converged = false;
      for (int it = 0; it < 8; ++it) {
        rhs(t_new, y_new, g);
        const VectorXd delta = lu.solve(y_new - psi - step * beta * g);
        y_new -= delta;
        if (!finite(y_new)) break;
        double size = 0;
        for (int i = 0; i < k; ++i)
          size =
              std::max(size, std::abs(delta[i]) / (tol.abs_tol + tol.rel_tol * std::abs(y_new[i])));
        if (size < 1e-2) {
          converged = true;
          break;
        }
      }
      if (!converged) {
        ++info.rejected;
        h = step * 0.25;
        continue;
      }
      // Sensitivities, exact at the new state.
      if (p > 0) {
        sys.jacobian(t_new, y_new.data(), jac.data());
        sys.param_rhs(t_new, y_new.data(), fp.data());
        lu.compute(MatrixXd::Identity(k, k) - step * beta * jac);
        s_new = lu.solve(a0 * s + a1 * s_prev + step * beta * fp);
      }
      double err = 0;
      if (history == 0) {
        // Backward Euler against the explicit Euler predictor: h^2/2 y''.
        for (int i = 0; i < k; ++i)
          err = std::max(
              err, 0.5 * std::abs(y_new[i] - y_pred[i]) /
                       (tol.abs_tol + tol.rel_tol * std::max(std::abs(y[i]), std::abs(y_new[i]))));
      } else {
        const double c = history == 1 ? 1.0 / 3 : 2.0 / 11;
        for (int i = 0; i < k; ++i)
          err = std::max(
              err, c * std::abs(y_new[i] - y_pred[i]) /
                       (tol.abs_tol + tol.rel_tol * std::max(std::abs(y[i]), std::abs(y_new[i]))));
        for (int j = 0; j < p; ++j)
          for (int i = 0; i < k; ++i)
            err = std::max(err, c * std::abs(s_new(i, j) - s_pred(i, j)) /
                                    (tol.abs_tol + tol.rel_tol * std::max(std::abs(s(i, j)),
                                                                          std::abs(s_new(i, j)))));
      }
      if (!std::isfinite(err)) err = std::numeric_limits<double>::infinity();
      const double order = history == 0 ? 2.0 : 3.0;
      if (err > 1.0) {
        ++info.rejected;
        h = step *
            (std::isfinite(err) ? std::clamp(0.9 * std::pow(err, -1.0 / order), 0.2, 0.9) : 0.2);
        continue;
      }
      y_prev2 = y_prev;
      y_prev = y;
      y = y_new;
      s_prev2 = s_prev;
      s_prev = s;
      if (p > 0) s = s_new;
      h_prev2 = h_prev;
      h_prev = step;
      t = t_new;
      history = std::min(history + 1, 2);
      rhs(t, y, f);
      const double fac = err == 0 ? 2.0 : std::clamp(0.9 * std::pow(err, -1.0 / order), 0.2, 2.0);
      // A step cut to land on an output time does not shrink the next one.
      h = clipped ? std::max(step * fac, std::min(h, 2 * step)) : step * fac;
    }
    observe(out, y.data(), s.data());
  }
  return info;
}

} // namespace statix::math::ode
