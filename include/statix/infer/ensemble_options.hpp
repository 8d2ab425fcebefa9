#pragma once

// Options of the ensemble samplers: many chains that move in lockstep and
// adapt from each other's states, made for SIMD and GPUs (every chain does
// the same number of gradient evaluations per iteration) and also run on host
// threads. Members follow `sx::nuts`'s order (.chains, .warmup, .draws,
// .seed first); new members go at the end.

#include <statix/base/named_values.hpp>
#include <statix/infer/sampler_options.hpp>

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace statix {

// Where an ensemble's chains start (ensemble_start.hpp): draws from normal
// approximations at modes found by L-BFGS, or Stan's random inits.
enum class ensemble_start { laplace, random };

// ChEES-HMC (Hoffman, Radul & Sountsov 2021): HMC whose trajectory length is
// jittered each iteration (the same number of leapfrog steps for every chain)
// and adapted by stochastic gradient ascent on the ChEES criterion, the
// change in the chains' expected squared distance from their mean; the step
// size by dual averaging of the harmonic mean of the chains' acceptance
// probabilities. The diagonal metric is the chains' pooled variance.
struct chees {
  int chains = 64;
  int warmup = 500;
  int draws = 500;
  std::uint64_t seed = 1;
  double target_accept = 0.651; // of the harmonic mean acceptance (Beskos et al. 2013)
  int threads = 0;              // host threads (0: one per hardware thread)
  int progress = -1;            // -1: on when stderr is a terminal; 0 off; 1 on
  double init_radius = 2.0;     // inits uniform in (-r, r) on the unconstrained scale
  named_values inits = {};      // user inits by name on the constrained scale
  bool save_warmup = false;
  double step_size = 0; // initial step size; 0: found from the chains' acceptance
  int max_leapfrog_steps = 1000;
  double learning_rate = 0.025; // Adam's rate on log(trajectory length), as the paper
  double jitter = 1.0;          // 1: steps uniform over (0, T]; 0: no jitter
  statix::metric metric = statix::metric::diag; // diag or dense (adapted), or unit
  double max_energy_error = 1000.0;
  int max_init_tries = 100;
  std::vector<Eigen::VectorXd> init_positions = {}; // as sx::nuts
  ensemble_start start = ensemble_start::laplace;
  int starts = 4; // modes searched for the laplace start
};

// MEADS (Hoffman & Sountsov 2022): generalised HMC (one leapfrog step per
// iteration, partially refreshed momentum, a persistent non-reversible slice
// variable for the accept test) whose step size, damping and diagonal
// preconditioner each fold of chains takes from the states of another fold.
// Nothing to tune: the adaptation has no learning rates or targets.
struct meads {
  int chains = 64;
  int warmup = 1000;
  int draws = 1000;
  std::uint64_t seed = 1;
  int folds = 4; // chains must be a multiple of folds, at least 2 chains per fold
  int threads = 0;
  int progress = -1;
  double init_radius = 2.0;
  named_values inits = {};
  bool save_warmup = false;
  double step_size_multiplier = 0.5; // the paper's 1/2 in eps = 1/2 / sqrt(lambda_max)
  double damping_slowdown = 1.0;     // damping at least damping_slowdown / (t eps) early on
  double max_energy_error = 1000.0;
  int max_init_tries = 100;
  std::vector<Eigen::VectorXd> init_positions = {};
  ensemble_start start = ensemble_start::laplace;
  int starts = 4;
  statix::metric metric = statix::metric::diag; // diag (the paper's) or dense
};

} // namespace statix
