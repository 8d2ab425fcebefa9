#pragma once

// Options of sx::fit_advi, with the defaults of Stan's variational method
// (CmdStan guide, "Variational inference using ADVI"). `.family` comes before
// `.seed` (the documented form); new members go at the end.
//
//   auto vi = sx::fit_advi(model, sx::advi{.family = sx::advi_family::fullrank, .seed = 1});

#include <statix/base/named_values.hpp>

#include <Eigen/Dense>

#include <cstdint>

namespace statix {

// The Gaussian family on the unconstrained scale: independent coordinates
// (Stan's meanfield: a mean and a log standard deviation per coordinate) or
// a dense covariance (fullrank: a mean and a lower-triangular Cholesky factor).
enum class advi_family { meanfield, fullrank };

inline const char* advi_family_name(advi_family family) {
  return family == advi_family::fullrank ? "fullrank" : "meanfield";
}

struct advi {
  advi_family family = advi_family::meanfield;
  std::uint64_t seed = 1;
  int max_iterations = 10000; // CmdStan's iter
  int grad_samples = 1;       // draws per Monte Carlo estimate of the ELBO's gradient
  int elbo_samples = 100;     // draws per Monte Carlo estimate of the ELBO
  double eta = 1.0;           // step-size scale; chosen by the tuning phase when adapt_engaged
  bool adapt_engaged = true;  // tune eta over {100, 10, 1, 0.1, 0.01}
  int adapt_iter = 50;        // iterations per eta tried
  double tol_rel_obj = 0.01;  // relative ELBO change (mean or median over a window)
  int eval_elbo = 100;        // iterations between ELBO estimates
  int output_samples = 1000;  // draws from the approximation returned
  double init_radius = 2.0;   // the initial mean: uniform(-init_radius, init_radius)
  named_values inits = {};    // by name on the constrained scale, as sx::nuts
  Eigen::VectorXd init_position = {}; // unconstrained initial mean; overrides `inits`
  int max_init_tries = 100;
};

} // namespace statix
