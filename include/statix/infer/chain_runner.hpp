#pragma once

// One chain from start to finish: initial point, Stan's warm-up (step size by
// dual averaging, metric from slow windows, step size re-initialised after each
// metric update), then sampling; every draw recorded as CmdStan's columns.
//
// A chain's random numbers come only from random::philox(seed, chain_index),
// so its draws do not depend on which thread runs it or how many run at once.

#include <statix/base/chain_result.hpp>
#include <statix/infer/dual_averaging.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/hmc_kernel.hpp>
#include <statix/infer/initial_point.hpp>
#include <statix/infer/initial_step_size.hpp>
#include <statix/infer/log_density_model.hpp>
#include <statix/infer/metric_warmup.hpp>
#include <statix/infer/nuts_kernel.hpp>
#include <statix/infer/sampler_options.hpp>
#include <statix/io/progress.hpp>
#include <statix/math/random.hpp>

#include <Eigen/Dense>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace statix {

// What a chain reports to, and listens to, besides its options.
struct chain_hooks {
  progress_display* progress = nullptr;     // updated after every iteration when set
  const std::atomic<bool>* abort = nullptr; // raised when another chain failed: return early
};

namespace detail {

inline void require(bool condition, const std::string& message) {
  if (!condition) throw std::invalid_argument("statix: " + message);
}

// Checks shared by the nuts and hmc options.
template <class Options>
void validate_common_options(const Options& o) {
  require(o.chains >= 1, "chains must be at least 1");
  require(o.warmup >= 0, "warmup must not be negative");
  require(o.draws >= 0, "draws must not be negative");
  require(o.target_accept > 0 && o.target_accept < 1, "target_accept must lie in (0, 1)");
  require(o.threads >= 0, "threads must not be negative (0: one per hardware thread)");
  require(std::isfinite(o.step_size) && o.step_size > 0, "step_size must be finite and positive");
  require(std::isfinite(o.init_radius) && o.init_radius >= 0, "init_radius must not be negative");
  require(o.max_init_tries >= 1, "max_init_tries must be at least 1");
  require(o.adapt_init_buffer >= 0 && o.adapt_term_buffer >= 0 && o.adapt_window >= 1,
          "the adaptation buffers must not be negative and adapt_window must be at least 1");
  require(o.adapt_gamma > 0 && o.adapt_kappa > 0 && o.adapt_t0 >= 0,
          "adapt_gamma and adapt_kappa must be positive and adapt_t0 not negative");
  require(o.max_energy_error > 0, "max_energy_error must be positive");
  require(o.thin >= 1, "thin must be at least 1, got " + std::to_string(o.thin));
}

inline void validate_options(const nuts& o) {
  validate_common_options(o);
  require(o.max_depth >= 1, "max_depth must be at least 1");
}

inline void validate_options(const hmc& o) {
  validate_common_options(o);
  require(o.steps >= 1, "hmc steps must be at least 1");
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One chain drawing every random number from `rng` (run_chain below gives it
// the chain's own Philox stream; a test may give it any generator).
template <class Model, class Kernel, class Options, class Rng>
chain_result run_chain(hamiltonian_system<Model>& system, Kernel& kernel, const Options& o,
                       int chain_index, const chain_hooks& hooks, Rng& rng) {
  const Model& model = system.model();
  const int d = system.dim();

  chain_result result;
  result.chain_id = chain_index + 1;
  result.column_names = sampler_column_names();
  for (std::string& name : model.output_names())
    result.column_names.push_back(std::move(name));
  const int n_sampler_columns = static_cast<int>(sampler_column_names().size());
  const int n_columns = static_cast<int>(result.column_names.size());
  if (n_columns != n_sampler_columns + model.output_size())
    throw std::logic_error("statix: the model's output_names() and output_size() disagree");

  if (o.inv_metric.size() > 0) system.metric().set_inverse_metric(o.inv_metric);

  // Where to start.
  phase_point z(d), scratch(d);
  initial_point_request request;
  request.chain_id = result.chain_id;
  if (!o.init_positions.empty())
    request.position =
        &o.init_positions[static_cast<std::size_t>(chain_index) % o.init_positions.size()];
  request.inits = &o.inits;
  request.radius = o.init_radius;
  request.max_tries = o.max_init_tries;
  find_initial_point(system, request, z, rng);

  // With no warm-up iterations there is nothing to adapt: the step size and
  // metric are used as given, as with adapt = false.
  const bool adapt = o.adapt && o.warmup > 0;
  double step_size = o.step_size;
  dual_averaging step_adaptation(o.target_accept, o.adapt_gamma, o.adapt_kappa, o.adapt_t0);
  step_adaptation.set_mu(std::log(10 * step_size)); // Stan: mu from the given step size
  metric_warmup metric_adaptation =
      o.adaptation == adaptation::fisher || o.metric == metric::automatic ||
              o.metric == metric::low_rank
          ? metric_warmup(fisher_metric_adaptation(o.metric, d, o.warmup))
          : metric_warmup(windowed_metric_adaptation(
                o.metric, d,
                adaptation_windows(o.warmup, o.adapt_init_buffer, o.adapt_term_buffer,
                                   o.adapt_window)));

  const auto warmup_start = std::chrono::steady_clock::now();
  // A metric the user gave is where the warm-up starts.
  if (adapt && o.inv_metric.size() == 0) metric_adaptation.start(z, system.metric());
  if (adapt) step_size = initial_step_size(system, z, step_size, scratch, rng);

  // Each draw is assembled in `row` (contiguous, as the callback sees it) and
  // stored as a row of chain_result's matrices, sized once: no second copy
  // of the draws to allocate and transpose at the end.
  const int thin = o.thin;
  const auto kept = [thin](int iterations) { return (iterations + thin - 1) / thin; };
  result.warmup_draws.resize(o.save_warmup ? kept(o.warmup) : 0, n_columns);
  result.draws.resize(kept(o.draws), n_columns);
  Eigen::VectorXd row(n_columns);
  int divergences = 0; // after warm-up, for the progress display

  // Writes the draw just made into `row` and hands it to the callback.
  const auto record = [&](const transition_stats& s, double eps, int iteration, bool warmup,
                          double* row) {
    row[0] = z.log_density;
    row[1] = s.accept_stat;
    row[2] = eps;
    row[3] = s.tree_depth;
    row[4] = s.n_leapfrog;
    row[5] = s.divergent ? 1.0 : 0.0;
    row[6] = s.energy;
    model.write_output(z.q, row + n_sampler_columns);
    if (o.callback) o.callback(draw_event{result.chain_id, iteration, warmup, row, n_columns});
  };
  const auto stop_requested = [&] {
    return (o.stop && o.stop->load(std::memory_order_relaxed)) ||
           (hooks.abort && hooks.abort->load(std::memory_order_relaxed));
  };

  int warmup_done = 0;
  while (warmup_done < o.warmup && !result.stopped_early) {
    const transition_stats s = kernel.transition(z, step_size, rng);
    // A warm-up draw nobody keeps or sees is not assembled (its outputs cost
    // a constraining transform each).
    if (warmup_done % thin == 0 && (o.save_warmup || o.callback)) {
      record(s, step_size, warmup_done, true, row.data());
      if (o.save_warmup) result.warmup_draws.row(warmup_done / thin) = row.transpose();
    }
    if (adapt) {
      step_size = step_adaptation.learn(s.accept_stat);
      switch (metric_adaptation.learn(warmup_done, z, system.metric())) {
      case step_size_action::reinitialise:
        step_size = initial_step_size(system, z, step_size, scratch, rng);
        [[fallthrough]];
      case step_size_action::restart: // Stan: mu from the step size it restarts at
        step_adaptation.set_mu(std::log(10 * step_size));
        step_adaptation.restart();
        break;
      case step_size_action::keep:
        break;
      }
    }
    ++warmup_done;
    if (hooks.progress) hooks.progress->update(chain_index, warmup_done, divergences);
    result.stopped_early = stop_requested();
  }
  if (adapt && step_adaptation.iterations() > 0) step_size = step_adaptation.final_step_size();
  result.warmup_seconds = seconds_since(warmup_start);

  const long long warmup_gradients = system.gradient_evaluations();
  const auto sampling_start = std::chrono::steady_clock::now();
  int drawn = 0;
  while (drawn < o.draws && !result.stopped_early) {
    const transition_stats s = kernel.transition(z, step_size, rng);
    if (drawn % thin == 0) {
      record(s, step_size, o.warmup + drawn, false, row.data());
      result.draws.row(drawn / thin) = row.transpose();
    }
    divergences += s.divergent ? 1 : 0;
    ++drawn;
    if (hooks.progress) hooks.progress->update(chain_index, o.warmup + drawn, divergences);
    result.stopped_early = stop_requested();
  }
  result.sampling_seconds = seconds_since(sampling_start);

  // A chain stopped early keeps the draws it made.
  if (result.warmup_draws.rows() > kept(warmup_done))
    result.warmup_draws.conservativeResize(kept(warmup_done), n_columns);
  if (result.draws.rows() > kept(drawn)) result.draws.conservativeResize(kept(drawn), n_columns);
  result.step_size = step_size;
  const euclidean_metric& adapted = system.metric();
  result.dense_metric = adapted.kind() == metric::dense;
  if (adapted.kind() == metric::low_rank) {
    // Its factors: O(dim k) memory, where the matrix would take dim^2.
    result.low_rank_metric = true;
    result.inv_metric = adapted.inverse_diagonal();
    result.low_rank_vectors = adapted.low_rank_vectors();
    result.low_rank_eigenvalues = adapted.low_rank_eigenvalues();
  } else {
    result.inv_metric = adapted.inverse_metric();
  }
  result.last_position = z.q;
  result.gradient_evaluations = system.gradient_evaluations();
  result.sampling_gradient_evaluations = system.gradient_evaluations() - warmup_gradients;
  return result;
}

template <class Model, class Kernel, class Options>
chain_result run_chain(hamiltonian_system<Model>& system, Kernel& kernel, const Options& o,
                       int chain_index, const chain_hooks& hooks) {
  random::philox rng(o.seed, static_cast<std::uint64_t>(chain_index));
  return run_chain(system, kernel, o, chain_index, hooks, rng);
}

} // namespace detail

// Runs chain `chain_index` (0-based; chain_id = chain_index + 1) of a NUTS run.
// Throws std::invalid_argument for bad options or initial values,
// std::runtime_error when no finite initial point is found.
template <sampler_model Model>
chain_result run_nuts_chain(const Model& model, const nuts& options, int chain_index,
                            const chain_hooks& hooks = {}) {
  detail::validate_options(options);
  hamiltonian_system<Model> system(model, options.metric);
  nuts_kernel<Model> kernel(system, options.max_depth, options.max_energy_error);
  return detail::run_chain(system, kernel, options, chain_index, hooks);
}

// The same for static HMC with options.steps leapfrog steps per draw.
template <sampler_model Model>
chain_result run_hmc_chain(const Model& model, const hmc& options, int chain_index,
                           const chain_hooks& hooks = {}) {
  detail::validate_options(options);
  hamiltonian_system<Model> system(model, options.metric);
  hmc_kernel<Model> kernel(system, options.steps, options.max_energy_error);
  return detail::run_chain(system, kernel, options, chain_index, hooks);
}

} // namespace statix
