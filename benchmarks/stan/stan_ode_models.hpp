#pragma once

// The Stan Math version of the ODE benchmark's model (ode_benchmark.cpp),
// posteriordb's hudson_lynx_hare-lotka_volterra, behind the same plain
// interface as stan_models.hpp, built into the same C++14 shared library
// (hidden symbols). stan_make_lotka_volterra copies the data and returns a
// handle; stan_lotka_volterra_gradient returns the log density at the
// unconstrained point x (Jacobians included, `~` statements at propto, as
// Stan's sampler calls it), writes its gradient to grad and frees Stan's AD
// arena. A failure of the solver (Stan throws: too many steps) returns -inf
// with a zero gradient, as Stan's sampler rejects the point.

#include "stan_models.hpp" // STATIX_STAN_PEER_API

namespace statix_bench {

// n output times ts, y_init (2), y (n x 2, row major: hares, lynxes).
STATIX_STAN_PEER_API int stan_make_lotka_volterra(int n, const double* ts, const double* y_init,
                                                  const double* y);
// x = (log theta[4], log z_init[2], log sigma[2])
STATIX_STAN_PEER_API double stan_lotka_volterra_gradient(int model, const double* x, double* grad);

} // namespace statix_bench
