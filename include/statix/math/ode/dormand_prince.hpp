#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
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

struct tolerances {
  double rel_tol = 1e-6;
  double abs_tol = 1e-6;
  long max_steps = 1000000; // between two output times, as Stan counts them
};

enum class solve_status { ok, too_many_steps, non_finite, step_size_underflow };

struct solve_info {
  solve_status status = solve_status::ok;
  long steps = 0;    // accepted and rejected, over the whole interval
  long rejected = 0;
  long rhs_evaluations = 0;
  bool ok() const { return status == solve_status::ok; }
};

// Integrates from t0 through the increasing times ts[0..nt), calling
// observe(k, z) with the state at ts[k]. rhs(t, z, dzdt) writes the
// derivative of the n values at z. z holds the initial state and is
// overwritten. Each step lands exactly on the next output time when it would
// pass it (no interpolation: the dense output of dopri5 is of order 4, the
// solution at the data is kept of order 5).
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
  constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247,
                   a64 = 49.0 / 176, a65 = -5103.0 / 18656;
  constexpr double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192,
                   a75 = -2187.0 / 6784, a76 = 11.0 / 84;
  // b - b_hat: the difference of the 5th- and 4th-order weights.
  constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920,
                   e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40;
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

  for (int k = 0; k < nt; ++k) {
    const double target = ts[k];
    long steps_here = 0;
    bool last_rejected = false;
    while (t < target) {
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
      for (int i = 0; i < n; ++i)
        tmp[i] = z[i] + step * a21 * k1[i];
      f(t + c2 * step, tmp, k2);
      for (int i = 0; i < n; ++i)
        tmp[i] = z[i] + step * (a31 * k1[i] + a32 * k2[i]);
      f(t + c3 * step, tmp, k3);
      for (int i = 0; i < n; ++i)
        tmp[i] = z[i] + step * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
      f(t + c4 * step, tmp, k4);
      for (int i = 0; i < n; ++i)
        tmp[i] = z[i] + step * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
      f(t + c5 * step, tmp, k5);
      for (int i = 0; i < n; ++i)
        tmp[i] = z[i] + step * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] +
                                a65 * k5[i]);
      const double t_new = clipped ? target : t + step;
      f(t_new, tmp, k6);
      for (int i = 0; i < n; ++i)
        y1[i] = z[i] + step * (a71 * k1[i] + a73 * k3[i] + a74 * k4[i] + a75 * k5[i] +
                               a76 * k6[i]);
      f(t_new, y1, k7); // first same as last: k1 of the next step
      double err = 0;
      for (int i = 0; i < n; ++i) {
        const double e = step * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] +
                                 e6 * k6[i] + e7 * k7[i]);
        const double sc = tol.abs_tol + tol.rel_tol * std::max(std::abs(z[i]), std::abs(y1[i]));
        err = std::max(err, std::abs(e) / sc);
      }
      if (!std::isfinite(err)) err = std::numeric_limits<double>::infinity();
      if (err <= 1.0) {
        t = t_new;
        std::copy(y1, y1 + n, z);
        std::copy(k7, k7 + n, k1);
        double fac = err == 0 ? fac_max : std::clamp(safety * std::pow(err, -0.2), fac_min, fac_max);
        if (last_rejected) fac = std::min(fac, 1.0);
        const double proposal = step * fac;
        // A step shortened to land on an output time says little about the
        // step the solution allows: keep the larger proposal.
        h = clipped ? std::max(proposal, h) : proposal;
        last_rejected = false;
      } else {
        ++info.rejected;
        const double fac = std::isfinite(err) ? std::max(fac_min, safety * std::pow(err, -0.2))
                                              : fac_min;
        h = step * std::min(fac, 1.0);
        last_rejected = true;
      }
    }
    observe(k, static_cast<const double*>(z));
  }
  return info;
}

} // namespace statix::math::ode
