#pragma once

// Stan's own NUTS (Stan 2.21 as StanHeaders ships it) on the benchmark models,
// behind a plain C++ interface: the Stan side compiles as C++14 against its
// own Eigen 3.3.9 in a shared library whose symbols are hidden, so only the
// functions below (and the standard-library types they take) cross over.

#include <cstdint>
#include <string>
#include <vector>

#if defined(_WIN32)
#define STATIX_STAN_NUTS_API
#else
#define STATIX_STAN_NUTS_API __attribute__((visibility("default")))
#endif

namespace statix_bench {

enum class stan_nuts_model {
  eight_schools,
  radon,
  logistic_regression,
  eight_schools_centered, // set with the eight schools data
  iid_normal
};

// What stan::services::sample::hmc_nuts_diag_e_adapt wrote, chain by chain,
// plus the cost of getting it.
struct stan_nuts_run {
  // CmdStan's columns: lp__, accept_stat__, stepsize__, treedepth__,
  // n_leapfrog__, divergent__, energy__, then the model's (theta_raw.1, ...).
  std::vector<std::string> column_names;
  // One entry per chain: post-warm-up draws, row-major (draws x columns).
  std::vector<std::vector<double>> draws;
  std::vector<std::vector<double>> inv_metrics; // adapted inverse metric of each chain
  std::vector<double> chain_seconds;            // wall time of each services call
  double seconds = 0;                           // their sum (chains run one after another)
  // Gradient evaluations counted where they happen (every log_prob on
  // stan::math::var), initialisation and step-size searches included.
  long long gradient_evaluations = 0;
  // n_leapfrog__ summed over warm-up and sampling iterations.
  long long leapfrog_steps = 0;
  int error_code = 0; // the services' return value of the first failing chain
};

// Data, copied once. county is 0-based (the Stan side adds 1); X is n x d
// column-major.
STATIX_STAN_NUTS_API void stan_set_eight_schools_data(int schools, const double* y,
                                                      const double* sigma);
STATIX_STAN_NUTS_API void stan_set_radon_data(int groups, int rows, const int* county,
                                              const double* floor, const double* log_radon);
STATIX_STAN_NUTS_API void stan_set_logistic_regression_data(int n, int d, const double* X,
                                                            const int* y);
// x ~ normal(0, scale), n independent coordinates.
STATIX_STAN_NUTS_API void stan_set_iid_normal_data(int n, const double* scale);

// Chains 1..chains, one after another, each a call of
// hmc_nuts_diag_e_adapt(seed, chain) with CmdStan's defaults (step size 1,
// delta 0.8, max depth 10, windows 75/25/50, inits uniform in (-2, 2)).
STATIX_STAN_NUTS_API stan_nuts_run stan_run_nuts(stan_nuts_model model, unsigned seed, int chains,
                                                 int warmup, int draws);

// Log density and gradient at the unconstrained point x through the path the
// sampler takes (stan::model::gradient on log_prob<propto, jacobian>);
// returns the log density. For timing the gradient on its own.
STATIX_STAN_NUTS_API double stan_log_density_gradient(stan_nuts_model model, const double* x,
                                                      double* grad);
STATIX_STAN_NUTS_API int stan_num_params(stan_nuts_model model);
// The model's constrained quantities (write_array with transformed
// parameters) at the unconstrained point x, and their names.
STATIX_STAN_NUTS_API std::vector<std::string> stan_constrained_names(stan_nuts_model model);
STATIX_STAN_NUTS_API void stan_write_constrained(stan_nuts_model model, const double* x,
                                                 double* out);

// For the equivalence check (nuts_stan_equivalence.cpp): Stan's sampler with
// every random number taken from uniform_stream(stream_seed) (uniform_stream.hpp;
// momenta by Box-Muller from the same stream, as Statix's side draws them).

// One transition of stan::mcmc::diag_e_nuts from q.
struct stan_transition_result {
  std::vector<double> q; // unconstrained position of the selected state
  double log_density = 0;
  double accept_stat = 0;
  double energy = 0;
  int tree_depth = 0;
  int n_leapfrog = 0;
  bool divergent = false;
  long long uniforms = 0; // numbers taken from the stream
};
STATIX_STAN_NUTS_API stan_transition_result stan_stream_transition(stan_nuts_model model,
                                                                   const double* q,
                                                                   const double* inv_metric,
                                                                   double step_size, int max_depth,
                                                                   std::uint64_t stream_seed);

// One chain of stan::mcmc::adapt_diag_e_nuts run by the services'
// run_adaptive_sampler from `init` (unconstrained), CmdStan's defaults
// (step size 1, delta 0.8, windows 75/25/50), warm-up rows saved.
struct stan_stream_run {
  std::vector<std::string> column_names;
  std::vector<std::vector<double>> rows; // warm-up, then draws
  double step_size = 0;
  std::vector<double> inv_metric;
  std::vector<double> last_position;
  long long uniforms = 0;
};
STATIX_STAN_NUTS_API stan_stream_run stan_stream_chain(stan_nuts_model model, const double* init,
                                                       std::uint64_t stream_seed, int warmup,
                                                       int draws, int max_depth);

} // namespace statix_bench
