#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

// The adaptive Dormand-Prince 5(4) method (Dormand & Prince 1980; the step
// control of Hairer, Norsett & Wanner, "Solving Ordinary Differential
// Equations I", section II.4) on a plain double system dz/dt = rhs(t, z).
//
// Written here rather than taken from Boost.Odeint (which Stan's ode_rk45
// uses) because: a failure must be a returned status, not an exception
// thrown through the sampler (odeint's max_step_checker throws); the error
// norm must cover the whole coupled system (state and sensitivities), which
// is also what odeint does on Stan's coupled state, and here it is explicit;
// and odeint's headers are heavy to compile for ~150 lines of method. The
// tableau and the error test are odeint's (runge_kutta_dopri5 with
// default_error_checker): a max norm of |err_i| / (abs_tol + rel_tol *
// max(|z_i|, |z_new_i|)).
namespace statix::math::ode {

namespace detail {
// out = z + h (a_1 k_1 + ... + a_m k_m), summed left to right. The
// __restrict parameters (the stages are distinct buffers) let the compiler
// vectorise the loop without run-time alias checks: with the n of a coupled
// system known only at run time, these loops are half of the solver's cost.
template <class... K>
inline void runge_kutta_stage(int n, double* __restrict out, const double* __restrict z, double h,
                              const double (&a)[sizeof...(K)], const K* __restrict... k) {
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    int j = 0;
    ((sum += a[j++] * k[i]), ...);
    out[i] = z[i] + h * sum;
  }
}

// The error test's ratios (odeint's default_error_checker, a max norm):
// ratio[i] = |h (e_1 k_1 + ...)_i| / (abs_tol + rel_tol max(|z_i|, |y1_i|)),
// a loop the compiler vectorises (the max over i is taken apart).
template <class Tol, class... K>
inline void scaled_errors(int n, double* __restrict ratio, const double* __restrict z,
                          const double* __restrict y1, double h, const Tol& tol,
                          const double (&e)[sizeof...(K)], const K* __restrict... k) {
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    int j = 0;
    ((sum += e[j++] * k[i]), ...);
    const double scale = tol.abs_tol + tol.rel_tol * std::max(std::abs(z[i]), std::abs(y1[i]));
    ratio[i] = std::abs(h * sum) / scale;
  }
}

// err^(-1/5), the step size factor of a method of order 4 (5), for a
// finite err > 0. A step size needs no last-bit accuracy: in float, glibc's
// exp2f and log2f cost a fraction of pow (which was a tenth of a
// Lotka-Volterra gradient; powf still a twentieth). An err below float's
// range gives +inf, above it 0: the callers clamp the factor to
// [fac_min, fac_max] either way.
inline double inverse_fifth_root(double err) {
  return static_cast<double>(std::exp2(-0.2f * std::log2(static_cast<float>(err))));
}
} // namespace detail

struct tolerances {
  double rel_tol = 1e-6;
  double abs_tol = 1e-6;
  long max_steps = 1000000; // between two output times, as Stan counts them
};

enum class solve_status { ok, too_many_steps, non_finite, step_size_underflow };

struct solve_info {
  solve_status status = solve_status::ok;
  long steps = 0; // accepted and rejected, over the whole interval
  long rejected = 0;
  long rhs_evaluations = 0;
  bool ok() const { return status == solve_status::ok; }
};

// Integrates from t0 through the increasing times ts[0..nt), calling
// observe(k, z) with the state at ts[k]. rhs(t, z, dzdt) writes the
// derivative of the n values at z. z holds the initial state and is
// overwritten. The steps go as the error test allows, past the output times
// before the last one, and the state at an output time inside a step comes
// from dopri5's continuous extension of order 4 (Hairer et al., section
// II.6, dense output; the coefficients of their code DOPRI5), as Stan's
// integrate_ode_rk45 does through odeint's dense-output stepper: landing a
// step on every output time costs a partial step per output (on the
// Lotka-Volterra posterior, 20 outputs: 70 steps instead of 60). The last
// step lands on the last output time.
template <class Rhs, class Observe>
solve_info dormand_prince(Rhs&& rhs, int n, double* z, double t0, const double* ts, int nt,
                          const tolerances& tol, Observe&& observe) {
  // Butcher tableau (Dormand & Prince 1980, Table 2; Hairer et al. Table II.5.2).
  constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
  constexpr double a21 = 1.0 / 5;
  constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
  constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
  constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                   a54 = -212.0 / 729;
  constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                   a65 = -5103.0 / 18656;
  constexpr double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784,
                   a76 = 11.0 / 84;
  // b - b_hat: the difference of the 5th- and 4th-order weights.
  constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                   e6 = 22.0 / 525, e7 = -1.0 / 40;
  constexpr double safety = 0.9, fac_min = 0.2, fac_max = 10.0;

  solve_info info;
  std::vector<double> work(static_cast<std::size_t>(n) * 9);
  double* k1 = work.data();
  double* k2 = k1 + n;
  double* k3 = k2 + n;
  double* k4 = k3 + n;
  double* k5 = k4 + n;
  double* k6 = k5 + n;
  double* k7 = k6 + n;
  double* y1 = k7 + n;
  double* tmp = y1 + n;
  auto f = [&](double t, const double* y, double* dy) {
    rhs(t, y, dy);
    ++info.rhs_evaluations;
  };
  auto finite = [&](const double* v) {
    for (int i = 0; i < n; ++i)
      if (!std::isfinite(v[i])) return false;
    return true;
  };
  if (!finite(z)) {
    info.status = solve_status::non_finite;
    return info;
  }
  double t = t0;
  f(t, z, k1);
  if (!finite(k1)) {
    info.status = solve_status::non_finite;
    return info;
  }

  // Initial step (Hairer et al., section II.4, "Starting step size").
  double h;
  {
    double d0 = 0, d1 = 0;
    for (int i = 0; i < n; ++i) {
      const double sc = tol.abs_tol + tol.rel_tol * std::abs(z[i]);
      d0 += (z[i] / sc) * (z[i] / sc);
      d1 += (k1[i] / sc) * (k1[i] / sc);
    }
    d0 = std::sqrt(d0 / n);
    d1 = std::sqrt(d1 / n);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h0 = std::min(h0, ts[nt - 1] - t0);
    for (int i = 0; i < n; ++i)
      y1[i] = z[i] + h0 * k1[i];
    f(t + h0, y1, k2);
    double d2 = 0;
    for (int i = 0; i < n; ++i) {
      const double sc = tol.abs_tol + tol.rel_tol * std::abs(z[i]);
      d2 += ((k2[i] - k1[i]) / sc) * ((k2[i] - k1[i]) / sc);
    }
    d2 = std::sqrt(d2 / n) / h0;
    const double dm = std::max(d1, d2);
    const double h1 = (!std::isfinite(dm)) ? h0 * 1e-3
                      : dm <= 1e-15        ? std::max(1e-6, h0 * 1e-3)
                                           : std::pow(0.01 / dm, 1.0 / 5);
    h = std::min(100 * h0, h1);
  }

  // The continuous extension: y(t + theta h) = z + theta (dy + (1 - theta)
  // (b + theta (c + (1 - theta) d))), dy = y1 - z, b = h k1 - dy,
  // c = dy - h k7 - b, d = h (d1 k1 + d3 k3 + ... + d7 k7).
  constexpr double d1 = -12715105075.0 / 11282082432.0, d3 = 87487479700.0 / 32700410799.0,
                   d4 = -10690763975.0 / 1880347072.0, d5 = 701980252875.0 / 199316789632.0,
                   d6 = -1453857185.0 / 822651844.0, d7 = 69997945.0 / 29380423.0;
  const double target = ts[nt - 1];
  int k = 0;           // the next output
  long steps_here = 0; // since the last output, as Stan's max_num_steps counts
  bool last_rejected = false;
  while (true) {
    while (k < nt && ts[k] <= t) {
      observe(k, static_cast<const double*>(z));
      ++k;
      steps_here = 0;
    }
    if (k == nt) break;
    { // one step from t, accepted or rejected
      if (++steps_here > tol.max_steps) {
        info.status = solve_status::too_many_steps;
        return info;
      }
      ++info.steps;
      double step = h;
      bool clipped = false;
      if (t + step >= target || target - (t + step) < 1e-12 * std::abs(target)) {
        step = target - t;
        clipped = true;
      }
      if (!(step > 4 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(t)))) {
        info.status = solve_status::step_size_underflow;
        return info;
      }
      using detail::runge_kutta_stage;
      runge_kutta_stage(n, tmp, z, step, {a21}, k1);
      f(t + c2 * step, tmp, k2);
      runge_kutta_stage(n, tmp, z, step, {a31, a32}, k1, k2);
      f(t + c3 * step, tmp, k3);
      runge_kutta_stage(n, tmp, z, step, {a41, a42, a43}, k1, k2, k3);
      f(t + c4 * step, tmp, k4);
      runge_kutta_stage(n, tmp, z, step, {a51, a52, a53, a54}, k1, k2, k3, k4);
      f(t + c5 * step, tmp, k5);
      runge_kutta_stage(n, tmp, z, step, {a61, a62, a63, a64, a65}, k1, k2, k3, k4, k5);
      const double t_new = clipped ? target : t + step;
      f(t_new, tmp, k6);
      runge_kutta_stage(n, y1, z, step, {a71, a73, a74, a75, a76}, k1, k3, k4, k5, k6);
      f(t_new, y1, k7); // first same as last: k1 of the next step
      // tmp (read by the last stage's f) takes the scaled errors.
      detail::scaled_errors(n, tmp, z, y1, step, tol, {e1, e3, e4, e5, e6, e7}, k1, k3, k4, k5, k6,
                            k7);
      double err = 0;
      for (int i = 0; i < n; ++i)
        err = std::max(err, tmp[i]);
      if (!std::isfinite(err)) err = std::numeric_limits<double>::infinity();
      if (err <= 1.0) {
        if (ts[k] < t_new) {
          // Outputs inside the step, from the continuous extension (tmp is
          // free again).
          for (; k < nt && ts[k] < t_new; ++k) {
            const double theta = (ts[k] - t) / step, theta1 = 1 - theta;
            for (int i = 0; i < n; ++i) {
              const double dy = y1[i] - z[i], b = step * k1[i] - dy, c = dy - step * k7[i] - b;
              const double d = step * (d1 * k1[i] + d3 * k3[i] + d4 * k4[i] + d5 * k5[i] +
                                       d6 * k6[i] + d7 * k7[i]);
              tmp[i] = z[i] + theta * (dy + theta1 * (b + theta * (c + theta1 * d)));
            }
            observe(k, static_cast<const double*>(tmp));
            steps_here = 0;
          }
        }
        t = t_new;
        std::copy(y1, y1 + n, z);
        std::swap(k1, k7);
        double fac = err == 0
                         ? fac_max
                         : std::clamp(safety * detail::inverse_fifth_root(err), fac_min, fac_max);
        if (last_rejected) fac = std::min(fac, 1.0);
        const double proposal = step * fac;
        // A step shortened to land on the last output time says little
        // about the step the solution allows: keep the larger proposal.
        h = clipped ? std::max(proposal, h) : proposal;
        last_rejected = false;
      } else {
        ++info.rejected;
        const double fac = std::isfinite(err)
                               ? std::max(fac_min, safety * detail::inverse_fifth_root(err))
                               : fac_min;
        h = step * std::min(fac, 1.0);
        last_rejected = true;
      }
    }
  }
  return info;
}

} // namespace statix::math::ode
