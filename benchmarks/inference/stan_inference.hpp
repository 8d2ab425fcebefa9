#pragma once

// Stan's own optimisation and ADVI (Stan 2.21 as StanHeaders ships it:
// stan::services::optimize::lbfgs, stan::services::experimental::advi::
// meanfield and fullrank) on the benchmark models of benchmarks/nuts, behind
// a plain C++ interface: the Stan side compiles as C++14 against its own
// Eigen 3.3.9 in a shared library whose symbols are hidden, so only the
// functions below (and the standard-library types they take) cross over.

#include <string>
#include <vector>

#if defined(_WIN32)
#define STATIX_STAN_INFERENCE_API
#else
#define STATIX_STAN_INFERENCE_API __attribute__((visibility("default")))
#endif

namespace statix_bench {

enum class stan_inference_model { radon, logistic_regression };

// One services call and what it cost.
struct stan_inference_run {
  int return_code = 0;
  double seconds = 0; // wall time of the services call (steady clock)
  // Counted where they happen, in the model's log_prob: every call on
  // stan::math::var is one gradient; log_density_evaluations counts every
  // call, on doubles too (ADVI's ELBO estimates and output draws).
  long long gradient_evaluations = 0;
  long long log_density_evaluations = 0;
  int iterations = 0; // L-BFGS: iter_num of the last step; ADVI: the last ELBO row's iter
  // L-BFGS: lp__ at the mode as Stan writes it (log_prob_propto without
  // Jacobians: constant terms dropped);
  // ADVI: the ELBO of the last estimate.
  double objective = 0;
  double eta = 0;      // ADVI: the step-size scale the tuning phase chose
  std::string message; // L-BFGS: Stan's termination message
  // The model's constrained quantities (write_array, transformed
  // parameters included): at the mode, or at the mean of the approximation
  // on the unconstrained scale (ADVI's first output row).
  std::vector<std::string> names;
  std::vector<double> values;
};

// Data, copied once. county is 0-based (the Stan side adds 1); X is n x d
// column-major.
STATIX_STAN_INFERENCE_API void stan_inference_set_radon_data(int groups, int rows,
                                                             const int* county, const double* floor,
                                                             const double* log_radon);
STATIX_STAN_INFERENCE_API void
stan_inference_set_logistic_regression_data(int n, int d, const double* X, const int* y);

// stan::services::optimize::lbfgs with CmdStan's defaults (init_radius 2,
// history 5, init_alpha 0.001, tol_obj 1e-12, tol_rel_obj 1e4, tol_grad 1e-8,
// tol_rel_grad 1e7, tol_param 1e-8, iter 2000), chain 1.
STATIX_STAN_INFERENCE_API stan_inference_run stan_run_lbfgs(stan_inference_model model,
                                                            unsigned seed);

// stan::services::experimental::advi::meanfield (fullrank = false) or
// fullrank with CmdStan's defaults (grad_samples 1, elbo_samples 100,
// iter 10000, tol_rel_obj 0.01, eta 1 with adaptation engaged over
// adapt_iter 50, eval_elbo 100, output_samples 1000), chain 1; tol_rel_obj
// as given.
STATIX_STAN_INFERENCE_API stan_inference_run stan_run_advi(stan_inference_model model,
                                                           unsigned seed, bool fullrank,
                                                           double tol_rel_obj = 0.01);

} // namespace statix_bench
