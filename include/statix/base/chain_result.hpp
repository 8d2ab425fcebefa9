#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

namespace statix {

// The seven sampler columns CmdStan writes before the model's quantities.
inline const std::vector<std::string>& sampler_column_names() {
  static const std::vector<std::string> names = {"lp__",        "accept_stat__", "stepsize__",
                                                 "treedepth__", "n_leapfrog__",  "divergent__",
                                                 "energy__"};
  return names;
}

// Everything one chain produced: what the fit, the diagnostics and the CSV
// writer need, and what a warm restart needs (step size and metric).
struct chain_result {
  int chain_id = 0; // 1-based, as CmdStan numbers chains
  // Columns: sampler_column_names() then the model's recorded quantities
  // (free variables on the constrained scale, then deterministics, CmdStan names).
  std::vector<std::string> column_names;
  Eigen::MatrixXd draws;        // one row per post-warm-up draw
  Eigen::MatrixXd warmup_draws; // one row per warm-up draw (empty unless saved)
  double step_size = 0;         // adapted step size
  bool dense_metric = false;
  Eigen::MatrixXd inv_metric;    // diagonal metric: a column vector; dense: square
  Eigen::VectorXd last_position; // unconstrained, for warm restarts
  double warmup_seconds = 0;
  double sampling_seconds = 0;
  long long gradient_evaluations = 0;          // whole chain, warm-up included
  long long sampling_gradient_evaluations = 0; // post-warm-up only
  bool stopped_early = false;                  // the cooperative stop flag was raised
  // Chains that share a start form a superchain (1, 2, ...; 0: none), for
  // nested R-hat: the ensemble samplers' chains started near one mode.
  int superchain = 0;
};

// How the chains were run: written as `#` comment lines in the CSV files and
// used by the warnings (tree depth saturation needs max_depth).
struct run_info {
  std::string algorithm = "nuts"; // "nuts", "hmc", "chees" or "meads"
  std::string engine = "nuts";
  int num_warmup = 1000;
  int num_samples = 1000;
  int num_chains = 4;
  std::uint64_t seed = 1;
  double target_accept = 0.8;
  int max_depth = 10;
  int hmc_steps = 0;
  std::string metric = "diag_e"; // CmdStan's names: diag_e, dense_e, unit_e
  bool adapt = true;
  bool save_warmup = false;
  int threads = 1;
  int thin = 1; // every thin-th iteration kept
};

} // namespace statix
