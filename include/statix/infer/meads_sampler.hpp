#pragma once

#include <statix/base/runtime_linkage.hpp>

// MEADS over an ensemble of chains (Hoffman & Sountsov 2022, Algorithm 3).
//
// The chains are split into K folds. At warm-up iteration t, fold t mod K
// stands still; every other fold k moves one generalised-HMC step with
// parameters computed from the current states of the fold before it,
// k - 1 (mod K), so no chain's move depends on its own state:
// - metric: the per-coordinate standard deviation of fold k - 1's positions
//   (diag, as the paper), or the Cholesky factor L of their covariance
//   (dense: this library's extension, for correlated posteriors such as
//   kidiq's, where one leapfrog step per iteration along a diagonal metric
//   mixes slowly);
// - step size eps = min(1, m / sqrt(lambda_max)), lambda_max estimated from
//   fold k - 1's gradients in the metric's coordinates (g L; m =
//   step_size_multiplier, 1/2);
// - damping gamma = max(1 / sqrt(lambda_max of fold k's standardised
//   positions), slowdown / ((t + 1) eps)), alpha = 1 - exp(-2 eps gamma) the
//   momentum refresh, delta = alpha / 2 the slice's drift.
// Every K iterations the chains are dealt into folds afresh (a random
// permutation from the seed's own stream). Sampling uses the folds' averages
// (as BlackJAX), every chain moving each iteration.

#include <statix/infer/chain_block_pool.hpp>
#include <statix/infer/ensemble_options.hpp>
#include <statix/infer/ensemble_state.hpp>
#include <statix/infer/ensemble_transitions.hpp>
#include <statix/io/progress.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE void validate_options(const meads& o);

// One fold's statistics from its chains' positions and gradients.
struct fold_statistics {
  metric_factor metric;     // the positions' spread
  double step_size = 1;     // from the gradients in the metric's coordinates
  Eigen::MatrixXd standard; // positions, centred and whitened by the metric
};

// The diagonal metric is the positions' standard deviations (as the paper
// and BlackJAX); the dense one their covariance, shrunk as Stan's metric so
// that a fold with fewer chains than dimensions still gives one.
STATIX_RUNTIME_INLINE fold_statistics fold_stats(const ensemble_state& state,
                                                 const std::vector<int>& members, double multiplier,
                                                 bool dense);

} // namespace detail

template <class Model, class Executor>
std::vector<chain_result> run_meads(const Model& model, const meads& o, Executor& executor,
                                    chain_block_pool& pool) {
  detail::validate_options(o);
  const int d = model.dim(), K = o.folds, per_fold = o.chains / o.folds;
  ensemble_state state(o.chains, d, model.workspace_size());
  detail::initialise_ensemble(model, o, state, pool);
  // Persistent momentum (whitened) and slice variable from each chain's stream.
  for (int c = 0; c < o.chains; ++c) {
    random::philox& rng = state.rng[static_cast<std::size_t>(c)];
    for (int i = 0; i < d; ++i)
      state.p[static_cast<std::size_t>(c) * d + i] = random::std_normal(rng);
    state.slice[static_cast<std::size_t>(c)] = 2 * random::uniform01(rng) - 1;
  }
  const bool dense = o.metric == metric::dense;
  state.dense = dense;
  const std::size_t factor_size = dense ? static_cast<std::size_t>(d) * d : d;
  state.factor.assign(static_cast<std::size_t>(K) * factor_size, 0.0);
  for (int k = 0; k < K; ++k) // the identity, in either layout
    for (int i = 0; i < d; ++i)
      state.factor[k * factor_size + (dense ? static_cast<std::size_t>(i) * d + i : i)] = 1.0;
  state.step_size.assign(static_cast<std::size_t>(K), 1.0);
  state.alpha.assign(static_cast<std::size_t>(K), 1.0);
  state.delta.assign(static_cast<std::size_t>(K), 0.5);
  state.fold_of.resize(static_cast<std::size_t>(o.chains));
  std::vector<int> order(static_cast<std::size_t>(o.chains));
  for (int c = 0; c < o.chains; ++c)
    order[static_cast<std::size_t>(c)] = c;
  const auto deal = [&] {
    for (int j = 0; j < o.chains; ++j)
      state.fold_of[static_cast<std::size_t>(order[static_cast<std::size_t>(j)])] = j / per_fold;
  };
  deal();
  // The shuffles' own stream, apart from every chain's (streams 0 .. chains - 1).
  random::philox shuffle_rng(o.seed, ~std::uint64_t{0});

  detail::ensemble_recorder recorder(model, o.chains, o.save_warmup ? o.warmup : 0, o.draws);
  std::unique_ptr<progress_display> progress;
  if (progress_enabled(o.progress))
    progress = std::make_unique<progress_display>(1, o.warmup, o.draws);
  const auto transition = [&] {
    executor.run(model, state, [&](const auto* m, const auto& a) {
      using Evaluated = std::remove_cvref_t<decltype(*m)>;
      using Real = typename std::remove_cvref_t<decltype(a)>::real;
      return generalized_hmc_transition<Evaluated, Real>{m, a, d, state.workspace,
                                                         o.max_energy_error};
    });
  };

  // Parameters of every fold from the others' states (see the top).
  const auto adapt = [&](int t) {
    std::vector<std::vector<int>> members(static_cast<std::size_t>(K));
    for (int c = 0; c < o.chains; ++c)
      members[static_cast<std::size_t>(state.fold_of[static_cast<std::size_t>(c)])].push_back(c);
    std::vector<detail::fold_statistics> stats;
    for (int k = 0; k < K; ++k)
      stats.push_back(detail::fold_stats(state, members[static_cast<std::size_t>(k)],
                                         o.step_size_multiplier, dense));
    for (int k = 0; k < K; ++k) {
      const detail::fold_statistics& source = stats[static_cast<std::size_t>((k + K - 1) % K)];
      const double eps = std::isfinite(source.step_size)
                             ? source.step_size
                             : state.step_size[static_cast<std::size_t>(k)];
      const double lambda =
          detail::largest_eigenvalue_estimate(stats[static_cast<std::size_t>(k)].standard);
      double gamma = lambda > 0 && std::isfinite(lambda) ? 1 / std::sqrt(lambda) : 0.0;
      gamma = std::max(gamma, o.damping_slowdown / ((t + 1) * eps));
      const double alpha = 1 - std::exp(-2 * eps * gamma);
      state.step_size[static_cast<std::size_t>(k)] = eps;
      state.alpha[static_cast<std::size_t>(k)] = alpha;
      state.delta[static_cast<std::size_t>(k)] = alpha / 2;
      source.metric.write(state.factor.data() + k * factor_size);
    }
  };

  long long gradients = 0;
  // The warm-up reads every chain's position and gradient (fold_stats)
  // besides what a draw records.
  state.host_reads = chain_arrays::recorded | chain_arrays::grad;
  const auto warmup_start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.warmup; ++t) {
    adapt(t);
    state.frozen_fold = K > 1 ? t % K : -1;
    transition();
    ++gradients; // per moving chain; a chain rests one iteration in K
    if (o.save_warmup) recorder.record(model, state, pool, t, true, 0, 1);
    if (K > 1 && (t + 1) % K == 0) {
      for (int j = o.chains - 1; j > 0; --j) {
        const auto r = static_cast<int>(random::uniform01(shuffle_rng) * (j + 1));
        std::swap(order[static_cast<std::size_t>(j)],
                  order[static_cast<std::size_t>(std::min(r, j))]);
      }
      deal();
    }
    if (progress) progress->update(0, t + 1, 0);
  }
  if (o.warmup == 0) adapt(0);

  // Sampling: every fold with the folds' average parameters (for a dense
  // metric, the factor of the average inverse metric).
  state.frozen_fold = -1;
  double eps = 0, alpha = 0;
  Eigen::MatrixXd average = Eigen::MatrixXd::Zero(d, dense ? d : 1);
  for (int k = 0; k < K; ++k) {
    eps += state.step_size[static_cast<std::size_t>(k)] / K;
    alpha += state.alpha[static_cast<std::size_t>(k)] / K;
    const double* f = state.factor.data() + k * factor_size;
    if (dense) {
      const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
          lower(f, d, d);
      average += lower * lower.transpose() / K;
    } else {
      average += Eigen::Map<const Eigen::VectorXd>(f, d) / K;
    }
  }
  metric_factor final_metric;
  if (dense) {
    final_metric = {true, average.llt().matrixL(), {}};
  } else {
    final_metric = {false, {}, average.col(0)};
  }
  for (int k = 0; k < K; ++k) {
    state.step_size[static_cast<std::size_t>(k)] = eps;
    state.alpha[static_cast<std::size_t>(k)] = alpha;
    state.delta[static_cast<std::size_t>(k)] = alpha / 2;
    final_metric.write(state.factor.data() + k * factor_size);
  }
  const long long warmup_gradients = gradients;
  const auto sampling_start = std::chrono::steady_clock::now();
  state.host_reads = chain_arrays::recorded;
  int divergences = 0;
  for (int t = 0; t < o.draws; ++t) {
    transition();
    ++gradients;
    recorder.record(model, state, pool, t, false, 0, 1);
    for (int div : state.divergent)
      divergences += div;
    if (progress) progress->update(0, o.warmup + t + 1, divergences);
  }
  if (progress) progress->finish();
  const auto end = std::chrono::steady_clock::now();

  return std::move(recorder).finish(state, warmup_gradients, gradients - warmup_gradients,
                                    detail::seconds_between(warmup_start, sampling_start),
                                    detail::seconds_between(sampling_start, end), final_metric,
                                    eps);
}

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE void validate_options(const meads& o) {
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("statix: sx::meads: ") + what);
  };
  require(o.folds >= 1, "folds must be at least 1");
  require(o.chains >= 2 && o.chains % o.folds == 0 && o.chains / o.folds >= 2,
          "chains must be a multiple of folds with at least 2 chains per fold");
  require(o.warmup >= 0 && o.draws >= 0, "warmup and draws must not be negative");
  require(o.threads >= 0, "threads must not be negative (0: one per hardware thread)");
  require(o.step_size_multiplier > 0, "step_size_multiplier must be positive");
  require(o.damping_slowdown >= 0, "damping_slowdown must not be negative");
  require(o.max_energy_error > 0, "max_energy_error must be positive");
  require(o.metric == metric::diag || o.metric == metric::dense,
          "metric must be sx::metric::diag or sx::metric::dense");
  require(o.starts >= 1, "starts must be at least 1");
  require(o.init_radius >= 0 && o.max_init_tries >= 1,
          "init_radius must not be negative and max_init_tries must be at least 1");
}

STATIX_RUNTIME_INLINE fold_statistics fold_stats(const ensemble_state& state,
                                                 const std::vector<int>& members, double multiplier,
                                                 bool dense) {
  const int n = static_cast<int>(members.size()), d = state.dim;
  Eigen::MatrixXd x(n, d), g(n, d);
  for (int r = 0; r < n; ++r) {
    const std::size_t row = static_cast<std::size_t>(members[static_cast<std::size_t>(r)]) * d;
    for (int i = 0; i < d; ++i) {
      x(r, i) = state.q[row + i];
      g(r, i) = state.grad[row + i];
    }
  }
  fold_statistics f;
  x.rowwise() -= x.colwise().mean();
  if (!dense || !metric_factor::from_rows(x, true, f.metric)) {
    Eigen::VectorXd sd = (x.colwise().squaredNorm() / n).cwiseSqrt().transpose();
    for (int i = 0; i < d; ++i)
      if (!(sd[i] > 0) || !std::isfinite(sd[i])) sd[i] = 1;
    f.metric = {false, {}, sd};
    if (dense) { // keep the layout dense: the diagonal as a triangular factor
      f.metric.dense = true;
      f.metric.lower = sd.asDiagonal();
    }
  }
  const double lambda = largest_eigenvalue_estimate(f.metric.times_factor(g));
  f.step_size = lambda > 0 && std::isfinite(lambda) ? std::min(1.0, multiplier / std::sqrt(lambda))
                                                    : std::numeric_limits<double>::quiet_NaN();
  f.standard = f.metric.whiten_rows(x);
  return f;
}

} // namespace detail

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
