#pragma once

// The Stan Math versions of the two matrix benchmark models (the references
// of benchmarks/gp_reference.hpp), behind the same plain interface as
// stan_models.hpp: each set_* call copies the data once; each *_gradient call
// returns the log density (propto, Jacobians included) at the unconstrained
// point x, writes its gradient to grad and frees Stan's AD arena. Built into
// the same C++14 shared library as stan_models.cpp (hidden symbols).

#include "stan_models.hpp" // STATIX_STAN_PEER_API

namespace statix_bench {

// n inputs x, counts k.
STATIX_STAN_PEER_API void stan_set_gp_poisson_data(int n, const double* x, const int* k);
// x = (log rho, log alpha, f_tilde[n])
STATIX_STAN_PEER_API double stan_gp_poisson_gradient(const double* x, double* grad);

// Y column-major n x k, one observation per row.
STATIX_STAN_PEER_API void stan_set_lkj_multi_normal_data(int n, int k, const double* Y);
// x = (L_Omega free[k (k - 1) / 2], log tau[k], mu[k])
STATIX_STAN_PEER_API double stan_lkj_multi_normal_gradient(const double* x, double* grad);

} // namespace statix_bench
