#pragma once

// The Stan Math versions of the benchmark models, behind a plain function
// interface: Stan 2.21 / Stan Math 3.0 compiles as C++14 against its own
// Eigen 3.3.9, so it lives in its own shared library (hidden symbols, so its
// Eigen and Boost instantiations never mix with the C++20 side's).
//
// Each set_* call copies the data once; each *_gradient call returns the log
// density (propto, Jacobians included) at the unconstrained point x, writes
// its gradient to grad and then frees Stan's AD arena (recover_memory), as
// Stan's services do after every gradient.

#if defined(_WIN32)
#define STATIX_STAN_PEER_API
#else
#define STATIX_STAN_PEER_API __attribute__((visibility("default")))
#endif

namespace statix_bench {

STATIX_STAN_PEER_API void stan_set_eight_schools_data(int schools, const double* y,
                                                      const double* sigma);
// x = (mu, log tau, theta_raw[schools])
STATIX_STAN_PEER_API double stan_eight_schools_gradient(const double* x, double* grad);

// X column-major n x d; y in {0, 1}.
STATIX_STAN_PEER_API void stan_set_logistic_regression_data(int n, int d, const double* X,
                                                            const int* y);
// x = (alpha, beta[d]); y ~ bernoulli_logit(alpha + X * beta)
STATIX_STAN_PEER_API double stan_logistic_regression_gradient(const double* x, double* grad);
// The same model through the fused bernoulli_logit_glm_lpmf.
STATIX_STAN_PEER_API double stan_logistic_regression_glm_gradient(const double* x, double* grad);

// county 0-based, rows entries each.
STATIX_STAN_PEER_API void stan_set_radon_data(int groups, int rows, const int* county,
                                              const double* floor, const double* log_radon);
// x = (mu_a, log sigma_a, mu_b, log sigma_b, log sigma_y, a[groups], b[groups])
STATIX_STAN_PEER_API double stan_radon_gradient(const double* x, double* grad);

} // namespace statix_bench
