#pragma once

// NUTS over an ensemble of chains with one warm-up pooled across them: each
// chain makes its own NUTS transitions (iterative_nuts_transition.hpp, one
// device or host thread per chain), and between iterations the host adapts
// what all chains share:
// - step size: Stan's dual averaging (gamma, kappa, t0 of sx::nuts) of the
//   chains' mean accept_stat toward target_accept; sampling uses the
//   averaged iterate. The mean over hundreds of chains is far less noisy
//   than one chain's accept_stat, so the step size settles in fewer
//   iterations;
// - metric (diag or dense): Stan's windows (adapt_init_buffer, adapt_window,
//   adapt_term_buffer, with Stan's 15 % / 75 % / 10 % fallback for short
//   warm-ups); at the end of each slow window the variance (diag) or
//   covariance (dense) of every chain's draws in that window together,
//   regularised as Stan does, becomes the metric, and the step size is
//   found afresh (Stan's doubling/halving of one leapfrog step, on the
//   chains' mean acceptance) and its dual averaging restarted. A window of
//   25 iterations over 256 chains holds 6,400 draws: more than a single
//   chain's whole warm-up. Until the first window ends, the metric is the
//   chains' spread at their starts (where chains outnumber dimensions).
// How short: at 256 chains, eight schools (diag) and kidiq (dense) pass
// posteriordb's checks (|z| < 4, sd within 10 %, R-hat < 1.01) for seeds
// 1-3 with warm-ups of 1000 (Stan's 75 / 25... / 50), 100 (10 / 10 + 50 /
// 30) and 50 (5 / 10 + 15 / 20) iterations; kidiq's 100-iteration warm-up
// costs 0.1 s of a 0.6-0.8 s run.
// The chains start from draws of normal approximations at modes found by
// L-BFGS (ensemble_start.hpp), so the initial buffer needs only bring them
// into the typical set. One step size for all chains leaves a chain that
// starts (or wanders, early on) where the posterior is much narrower than
// in the bulk rejecting every move for good (eight schools: a start at
// tau = 90, where theta_trans's scale is a fifth of the bulk's, stayed there
// for all 2000 iterations, doubling tau's sd). So at the end of the initial
// buffer and of each slow window, a chain whose mean accept_stat over that
// stretch is below 0.05 is moved to the state of a chain drawn at random
// from the others (warm-up only; the draws are untouched). Every chain draws from its own Philox
// stream (seed, chain) and the host sums over chains in chain order: the draws do not depend on the
// number of threads or on the device system.

#include <statix/infer/chain_block_pool.hpp>
#include <statix/infer/dual_averaging.hpp>
#include <statix/infer/ensemble_start.hpp>
#include <statix/infer/ensemble_state.hpp>
#include <statix/infer/ensemble_transitions.hpp>
#include <statix/infer/iterative_nuts_transition.hpp>
#include <statix/infer/sampler_options.hpp>
#include <statix/infer/windowed_adaptation.hpp>
#include <statix/io/progress.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace statix {

namespace detail {

inline void validate_pooled_nuts_options(const nuts& o) {
  const auto require = [](bool ok, const char* what) {
    if (!ok)
      throw std::invalid_argument(std::string("statix: sx::nuts with sx::on_device: ") + what);
  };
  require(o.chains >= 1, "chains must be at least 1");
  require(o.warmup >= 0 && o.draws >= 0, "warmup and draws must not be negative");
  require(o.target_accept > 0 && o.target_accept < 1, "target_accept must lie in (0, 1)");
  require(o.max_depth >= 1 && o.max_depth <= 30, "max_depth must lie in [1, 30]");
  require(std::isfinite(o.step_size) && o.step_size > 0, "step_size must be finite and positive");
  require(o.max_energy_error > 0, "max_energy_error must be positive");
  require(o.init_radius >= 0 && o.max_init_tries >= 1,
          "init_radius must not be negative and max_init_tries must be at least 1");
  require(o.metric == metric::diag || o.metric == metric::dense || o.metric == metric::unit,
          "metric must be sx::metric::diag, sx::metric::dense or sx::metric::unit");
  require(o.thin == 1, "thin must be 1 (every chain keeps every draw on the device)");
  require(o.adaptation == adaptation::windowed,
          "the pooled warm-up on the device estimates the metric from all chains' draws: "
          "adaptation must be sx::adaptation::windowed");
}

// What initialise_ensemble reads, from sx::nuts: the ensemble samplers'
// start (draws of normal approximations at modes found by L-BFGS; Stan's
// random inits where the model has none; init_positions when given).
struct pooled_nuts_start {
  int chains;
  std::uint64_t seed;
  double init_radius;
  named_values inits;
  int max_init_tries;
  std::vector<Eigen::VectorXd> init_positions;
  ensemble_start start = ensemble_start::laplace;
  int starts = 4;
};

// Running mean and sum of squared deviations (diag: a column; dense: a
// matrix) of draws added a batch of rows at a time (Chan et al. 1979).
struct pooled_moments {
  bool dense = false;
  double n = 0;
  Eigen::VectorXd mean;
  Eigen::MatrixXd m2;

  void restart(int dim) {
    n = 0;
    mean = Eigen::VectorXd::Zero(dim);
    m2 = Eigen::MatrixXd::Zero(dim, dense ? dim : 1);
  }

  void add(const Eigen::MatrixXd& rows) {
    const double nb = static_cast<double>(rows.rows());
    if (nb == 0) return;
    const Eigen::VectorXd mean_b = rows.colwise().mean().transpose();
    const Eigen::MatrixXd centred = rows.rowwise() - mean_b.transpose();
    const Eigen::MatrixXd m2_b = dense
                                     ? Eigen::MatrixXd(centred.transpose() * centred)
                                     : Eigen::MatrixXd(centred.colwise().squaredNorm().transpose());
    const Eigen::VectorXd delta = mean_b - mean;
    const double total = n + nb;
    const double w = n * nb / total;
    if (dense)
      m2 += m2_b + w * delta * delta.transpose();
    else
      m2 += m2_b + w * delta.cwiseAbs2();
    mean += delta * (nb / total);
    n = total;
  }

  Eigen::MatrixXd covariance() const { return m2 / (n - 1); }
};

} // namespace detail

// What the warm-up learnt.
struct pooled_nuts_adaptation {
  double step_size = 0;
  Eigen::MatrixXd inv_metric; // a column (diagonal metric) or a matrix (dense)
  int metric_updates = 0;
  int rescued_chains = 0; // stuck chains moved to others' states during warm-up
};

// Runs NUTS on every chain through `executor` (host threads or a Thrust
// device system) with the warm-up pooled over chains; `pool` records the
// draws and computes the adaptation's statistics on the host.
template <class Model, class Executor>
std::vector<chain_result> run_pooled_nuts(const Model& model, const nuts& o, Executor& executor,
                                          chain_block_pool& pool,
                                          pooled_nuts_adaptation* learnt = nullptr) {
  detail::validate_pooled_nuts_options(o);
  const int d = model.dim();
  const int n_chains = o.chains;
  ensemble_state state(n_chains, d, model.workspace_size());
  state.tree_depth.assign(static_cast<std::size_t>(n_chains), 0);
  state.n_leapfrog.assign(static_cast<std::size_t>(n_chains), 0);
  state.tree.assign(static_cast<std::size_t>(n_chains) *
                        static_cast<std::size_t>(iterative_nuts_scratch_size(d, o.max_depth)),
                    0.0);
  state.tree_levels.assign(
      static_cast<std::size_t>(n_chains) *
          static_cast<std::size_t>(iterative_nuts_level_scratch_size(o.max_depth)),
      0.0);
  const detail::pooled_nuts_start start{n_chains, o.seed,           o.init_radius,
                                        o.inits,  o.max_init_tries, o.init_positions};
  detail::initialise_ensemble(model, start, state, pool);

  const bool dense = o.metric == metric::dense;
  metric_factor current = metric_factor::identity(d);
  const auto use_metric = [&](const metric_factor& next) {
    current = next;
    state.dense = next.dense;
    state.factor.resize(next.size());
    next.write(state.factor.data());
  };
  if (o.inv_metric.size() > 0) {
    // A warm restart's inverse metric, as given (no regularisation).
    const bool ok_shape =
        o.inv_metric.rows() == d && (o.inv_metric.cols() == 1 || o.inv_metric.cols() == d);
    if (!ok_shape || !o.inv_metric.allFinite())
      throw std::invalid_argument("statix: sx::nuts: inv_metric must be dim x 1 or dim x dim");
    metric_factor given;
    if (o.inv_metric.cols() == 1 && d != 1) {
      if (!(o.inv_metric.array() > 0).all())
        throw std::invalid_argument("statix: sx::nuts: inv_metric must be positive");
      given = {false, {}, o.inv_metric.col(0).cwiseSqrt()};
    } else {
      const Eigen::LLT<Eigen::MatrixXd> llt(o.inv_metric);
      if (llt.info() != Eigen::Success)
        throw std::invalid_argument("statix: sx::nuts: inv_metric must be positive definite");
      given = {true, llt.matrixL(), {}};
    }
    use_metric(given);
  }

  detail::ensemble_recorder recorder(model, n_chains, o.save_warmup ? o.warmup : 0, o.draws);
  std::unique_ptr<progress_display> progress;
  if (progress_enabled(o.progress))
    progress = std::make_unique<progress_display>(1, o.warmup, o.draws);
  std::vector<long long> gradients(static_cast<std::size_t>(n_chains), 0);
  long long shared_gradients = 0; // the step-size searches: one per chain each

  double eps = o.step_size;
  const auto transition = [&](double step) {
    executor.run(model, state, [&](const auto* m, const auto& a) {
      using Evaluated = std::remove_cvref_t<decltype(*m)>;
      using Real = typename std::remove_cvref_t<decltype(a)>::real;
      return iterative_nuts_transition<Evaluated, Real>{
          m, a, d, state.workspace, step, o.max_depth, o.max_energy_error};
    });
    for (int c = 0; c < n_chains; ++c)
      gradients[static_cast<std::size_t>(c)] += state.n_leapfrog[static_cast<std::size_t>(c)];
  };
  // Stan's heuristic (base_hmc::init_stepsize) on the chains' mean
  // acceptance of one leapfrog step from a fresh momentum: double or halve
  // until it crosses 0.8. The chains keep their positions.
  const auto find_step_size = [&] {
    const auto mean_accept = [&](double step) {
      executor.run(model, state, [&](const auto* m, const auto& a) {
        using Evaluated = std::remove_cvref_t<decltype(*m)>;
        using Real = typename std::remove_cvref_t<decltype(a)>::real;
        return jittered_hmc_transition<Evaluated, Real>{
            m, a, d, state.workspace, step, 1, o.max_energy_error, false};
      });
      ++shared_gradients;
      double sum = 0;
      for (double a : state.accept)
        sum += a;
      return sum / n_chains;
    };
    const bool up = mean_accept(eps) > 0.8;
    for (int tries = 0; tries < 100; ++tries) {
      eps = up ? 2 * eps : 0.5 * eps;
      const double a = mean_accept(eps);
      if (up ? !(a > 0.8) : !(a < 0.8)) break;
    }
  };

  const bool adapt = o.adapt && o.warmup > 0;
  adaptation_windows windows(o.warmup, o.adapt_init_buffer, o.adapt_term_buffer, o.adapt_window);
  const bool adapt_metric = adapt && o.metric != metric::unit && windows.enabled();
  // The initial buffer's metric: the chains' spread at their starts (draws
  // of the normal approximations, at half their scale), where there are
  // more chains than dimensions, in place of the identity. On kidiq
  // (posterior sds 0.15 to 15, correlations near -0.99) the identity makes
  // every tree of the initial buffer 1023 steps long: 2.9 s of a 3.7 s run.
  if (adapt_metric && o.inv_metric.size() == 0 && n_chains > d + 1) {
    metric_factor start_metric;
    if (metric_factor::from_rows(state.positions(), dense, start_metric)) use_metric(start_metric);
  }
  dual_averaging step_adaptation(o.target_accept, o.adapt_gamma, o.adapt_kappa, o.adapt_t0);
  if (adapt) {
    find_step_size();
    step_adaptation.set_mu(std::log(10 * eps));
  }
  detail::pooled_moments moments;
  moments.dense = dense;
  moments.restart(d);
  int metric_updates = 0;

  std::vector<double> accept_sum(static_cast<std::size_t>(n_chains), 0.0);
  int stretch = 0, rescued = 0;
  std::uint64_t rescue_round = 0;
  const auto rescue_stuck_chains = [&] {
    std::vector<int> healthy, stuck;
    for (int c = 0; c < n_chains; ++c)
      (accept_sum[static_cast<std::size_t>(c)] < 0.05 * stretch ? stuck : healthy).push_back(c);
    std::fill(accept_sum.begin(), accept_sum.end(), 0.0);
    stretch = 0;
    if (stuck.empty() || healthy.empty()) return;
    random::philox rng(o.seed ^ 0x5DEECE66Dull, rescue_round++);
    for (int c : stuck) {
      const auto pick = static_cast<std::size_t>(random::uniform01(rng) * healthy.size());
      const auto from = static_cast<std::size_t>(healthy[std::min(pick, healthy.size() - 1)]);
      const auto to = static_cast<std::size_t>(c);
      for (int i = 0; i < d; ++i) {
        state.q[to * d + i] = state.q[from * d + i];
        state.grad[to * d + i] = state.grad[from * d + i];
      }
      state.log_density[to] = state.log_density[from];
      ++rescued;
    }
    state.host_wrote |= chain_arrays::q | chain_arrays::grad | chain_arrays::log_density;
  };

  // The warm-up reads the gradients (a rescue copies them) besides what a
  // draw records.
  state.host_reads = chain_arrays::recorded | chain_arrays::grad;
  const auto warmup_start = std::chrono::steady_clock::now();
  int divergences = 0;
  for (int t = 0; t < o.warmup; ++t) {
    transition(eps);
    if (o.save_warmup) recorder.record(model, state, pool, t, true, eps, 0);
    if (adapt) {
      double sum = 0;
      for (double a : state.accept)
        sum += a;
      eps = step_adaptation.learn(sum / n_chains);
    }
    if (adapt_metric) {
      for (int c = 0; c < n_chains; ++c)
        accept_sum[static_cast<std::size_t>(c)] += state.accept[static_cast<std::size_t>(c)];
      ++stretch;
      if (windows.in_window()) moments.add(state.positions());
      const bool window_ends = windows.window_ends();
      if (window_ends || windows.iteration() + 1 == windows.init_buffer()) rescue_stuck_chains();
      if (window_ends) {
        windows.compute_next_window();
        metric_factor next;
        if (moments.n > 1 &&
            metric_factor::from_covariance(moments.covariance(), moments.n, dense, next)) {
          use_metric(next);
          ++metric_updates;
        }
        moments.restart(d);
        find_step_size();
        step_adaptation.set_mu(std::log(10 * eps));
        step_adaptation.restart();
      }
      windows.advance();
    }
    if (progress) progress->update(0, t + 1, 0);
  }
  // With no iteration after the last restart (adapt_term_buffer = 0), the
  // step size found for the last metric (Stan would sample at 1).
  if (adapt && step_adaptation.iterations() > 0) eps = step_adaptation.final_step_size();
  std::vector<long long> warmup_gradients = gradients;
  const auto sampling_start = std::chrono::steady_clock::now();
  state.host_reads = chain_arrays::recorded;

  for (int t = 0; t < o.draws; ++t) {
    transition(eps);
    recorder.record(model, state, pool, t, false, eps, 0);
    for (int div : state.divergent)
      divergences += div;
    if (progress) progress->update(0, o.warmup + t + 1, divergences);
  }
  if (progress) progress->finish();
  const auto end = std::chrono::steady_clock::now();

  std::vector<chain_result> chains =
      std::move(recorder).finish(state, 0, 0, detail::seconds_between(warmup_start, sampling_start),
                                 detail::seconds_between(sampling_start, end), current, eps);
  for (int c = 0; c < n_chains; ++c) {
    const auto i = static_cast<std::size_t>(c);
    chains[i].gradient_evaluations = gradients[i] + shared_gradients;
    chains[i].sampling_gradient_evaluations = gradients[i] - warmup_gradients[i];
  }
  if (learnt) *learnt = {eps, current.inverse_metric(), metric_updates, rescued};
  return chains;
}

} // namespace statix
