#pragma once

// The Stan Math versions of the recursion benchmark's models
// (recursion_benchmark.cpp), behind the same plain interface as
// stan_models.hpp, built into the same C++14 shared library (hidden symbols).
// Each stan_make_* call copies one data set and returns its handle; each
// *_gradient call returns the log density at the unconstrained point x
// (Jacobians included; the model's `target +=` statements keep their
// constants, as Stan's do), writes its gradient to grad and frees Stan's AD
// arena.

#include "stan_models.hpp" // STATIX_STAN_PEER_API

namespace statix_bench {

// posteriordb's hmm_example at K states: y (n), prior means of mu (k).
STATIX_STAN_PEER_API int stan_make_hmm(int n, int k, const double* y, const double* prior_mean);
// x = (theta[1] free[k - 1], ..., theta[k] free[k - 1], mu free[k])
STATIX_STAN_PEER_API double stan_hmm_gradient(int model, const double* x, double* grad);

// posteriordb's garch11: y (n), sigma1.
STATIX_STAN_PEER_API int stan_make_garch(int n, const double* y, double sigma1);
// x = (mu, log alpha0, logit alpha1, logit(beta1 / (1 - alpha1)))
STATIX_STAN_PEER_API double stan_garch_gradient(int model, const double* x, double* grad);
// The same density with the recursion over the variance (v[1] = sigma1^2,
// v[t] = alpha0 + alpha1 pow(y[t-1] - mu, 2) + beta1 v[t-1];
// y ~ normal(mu, sqrt(v))): no square root from one step to the next.
STATIX_STAN_PEER_API double stan_garch_variance_gradient(int model, const double* x, double* grad);

} // namespace statix_bench
