#pragma once

#include <statix/base/named_values.hpp>

#include <Eigen/Dense>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace statix {

// diag, dense, unit: Euclidean metrics. low_rank: a diagonal metric with a
// correction in the few directions where the posterior is correlated (nutpie's
// low-rank mass matrix), O(d k) per leapfrog step, learnt by the Fisher
// warm-up. automatic: the Fisher warm-up (adaptation::fisher) chooses
// diagonal, dense (up to 300 parameters) or low rank (up to 5000) from the
// draws.
enum class metric { diag, dense, unit, automatic, low_rank };

// How the warm-up learns the metric: Stan's windows of draws, or the
// Fisher-divergence estimate from draws and gradients with nutpie's early,
// rolling schedule (infer/fisher_adaptation.hpp).
enum class adaptation { windowed, fisher };

// One draw as the per-draw callback sees it: chain (1-based), iteration
// (0-based, warm-up included), whether it is a warm-up draw, and the row the
// CSV would hold (sampler columns, then the model's quantities).
struct draw_event {
  int chain;
  int iteration;
  bool warmup;
  const double* row;
  int row_size;
};

// Multinomial NUTS with Stan's warm-up. Members are declared in the order of
// the documented designated-initializer form; new members go at the end.
struct nuts {
  int chains = 4;
  int warmup = 1000;
  int draws = 1000;
  std::uint64_t seed = 1;
  double target_accept = 0.8;
  int max_depth = 10;
  statix::metric metric = statix::metric::diag;
  int threads = 0;          // 0: hardware concurrency
  int progress = -1;        // -1: on when stderr is a terminal; 0 off; 1 on
  double init_radius = 2.0; // inits uniform in (-r, r) on the unconstrained scale
  named_values inits = {};  // user inits by name on the constrained scale
  bool save_warmup = false;
  double step_size = 1.0;          // initial step size (or the fixed one when adapt = false)
  Eigen::MatrixXd inv_metric = {}; // initial inverse metric (warm restart); empty: identity
  bool adapt = true;
  std::function<void(const draw_event&)> callback = {};
  const std::atomic<bool>* stop =
      nullptr; // raised by the caller: chains stop after the current draw
  // Stan's windowed adaptation (Stan reference manual, "HMC algorithm parameters").
  int adapt_init_buffer = 75;
  int adapt_term_buffer = 50;
  int adapt_window = 25;
  double adapt_gamma = 0.05;
  double adapt_kappa = 0.75;
  double adapt_t0 = 10.0;
  double max_energy_error = 1000.0; // divergence threshold
  int max_init_tries = 100;
  // Unconstrained starting point of each chain, e.g. the last_position of a
  // previous fit's chain_result (chain i uses element i modulo the size);
  // empty: `inits` and random values. Overrides `inits` when given.
  std::vector<Eigen::VectorXd> init_positions = {};
  // The warm-up's metric estimator and schedule; metric::automatic always
  // uses adaptation::fisher. The adapt_* buffers above are the windowed one's.
  statix::adaptation adaptation = statix::adaptation::windowed;
  // Keeps every thin-th iteration (the first of each thin), warm-up
  // included when saved, as CmdStan's thin: ceil(draws / thin) draws per
  // chain. The callback sees the kept ones only.
  int thin = 1;
};

// Static HMC with a fixed number of leapfrog steps (and the same warm-up).
struct hmc {
  int steps = 16;
  int chains = 4;
  int warmup = 1000;
  int draws = 1000;
  std::uint64_t seed = 1;
  double target_accept = 0.8;
  statix::metric metric = statix::metric::diag;
  int threads = 0;
  int progress = -1;
  double init_radius = 2.0;
  named_values inits = {};
  bool save_warmup = false;
  double step_size = 1.0;
  Eigen::MatrixXd inv_metric = {};
  bool adapt = true;
  std::function<void(const draw_event&)> callback = {};
  const std::atomic<bool>* stop = nullptr;
  int adapt_init_buffer = 75;
  int adapt_term_buffer = 50;
  int adapt_window = 25;
  double adapt_gamma = 0.05;
  double adapt_kappa = 0.75;
  double adapt_t0 = 10.0;
  double max_energy_error = 1000.0;
  int max_init_tries = 100;
  // Unconstrained starting point of each chain, e.g. the last_position of a
  // previous fit's chain_result (chain i uses element i modulo the size);
  // empty: `inits` and random values. Overrides `inits` when given.
  std::vector<Eigen::VectorXd> init_positions = {};
  // The warm-up's metric estimator and schedule; metric::automatic always
  // uses adaptation::fisher. The adapt_* buffers above are the windowed one's.
  statix::adaptation adaptation = statix::adaptation::windowed;
  // Keeps every thin-th iteration (the first of each thin), warm-up
  // included when saved, as CmdStan's thin: ceil(draws / thin) draws per
  // chain. The callback sees the kept ones only.
  int thin = 1;
};

} // namespace statix
