#pragma once

#include <statix/base/runtime_linkage.hpp>

// ChEES-HMC over an ensemble of chains (Hoffman, Radul & Sountsov 2021).
//
// Warm-up, every iteration, after all chains made one jittered HMC transition:
// - step size: Stan's dual averaging of the harmonic mean of the chains'
//   acceptance probabilities (divergent chains left out) toward
//   target_accept; sampling uses its averaged iterate;
// - trajectory length T: one Adam step (ascent) on log T along the ChEES
//   gradient, the acceptance-weighted chain average of
//     h T (|z' - mean z'|^2 - |z - mean z|^2) (z' - mean z') . v'
//   (z, z' the start and end of the trajectory in the metric's whitened
//   coordinates, v' the end velocity, h the jitter), each step clipped to
//   +-0.35 as TFP and BlackJAX do; sampling uses the average of log T over
//   the iterations weighted t^-1/2 (as BlackJAX);
// - metric (diag or dense): the chains' pooled variance per coordinate, or
//   their covariance (Stan's regularisation toward 1e-3), re-estimated
//   every iteration in the first three quarters of warm-up, then fixed to its average over
//   iterations W/2 to 3W/4, so that the last quarter tunes the step size and T for the metric
//   sampling uses.
// Each iteration all chains take ceil(h T / eps) leapfrog steps, h from the
// base-2 Halton sequence (quasi-random jitter, as the paper), so the chains
// stay in lockstep: one batched gradient per step on a GPU.

#include <statix/infer/chain_block_pool.hpp>
#include <statix/infer/dual_averaging.hpp>
#include <statix/infer/ensemble_options.hpp>
#include <statix/infer/ensemble_state.hpp>
#include <statix/infer/ensemble_transitions.hpp>
#include <statix/io/progress.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE void validate_options(const chees& o);

// The i-th element (i >= 1) of the base-2 Halton (van der Corput) sequence.
STATIX_RUNTIME_INLINE double halton2(long i);

STATIX_RUNTIME_INLINE double harmonic_mean_acceptance(const ensemble_state& state);

// The ChEES criterion's derivative with respect to log T, averaged over the
// chains with their acceptance probabilities as weights, in the metric's
// whitened coordinates z = L^-1 q, where the end velocity is the whitened
// momentum m.
STATIX_RUNTIME_INLINE double chees_gradient(const ensemble_state& state,
                                            const metric_factor& metric, double jitter_fraction,
                                            double trajectory_length);

// Adam (Kingma & Ba 2015) on one parameter, climbing.
struct adam_ascent {
  double rate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  double m = 0, v = 0;
  long t = 0;
  double step(double gradient) {
    ++t;
    m = beta1 * m + (1 - beta1) * gradient;
    v = beta2 * v + (1 - beta2) * gradient * gradient;
    const double m_hat = m / (1 - std::pow(beta1, static_cast<double>(t)));
    const double v_hat = v / (1 - std::pow(beta2, static_cast<double>(t)));
    return rate * m_hat / (std::sqrt(v_hat) + epsilon);
  }
};

} // namespace detail

// What the sampler learnt, for the fit and the CSV comments.
struct chees_adaptation {
  double step_size = 0;
  double trajectory_length = 0;
  Eigen::MatrixXd inv_metric; // a column (diagonal metric) or a matrix (dense)
};

// Runs ChEES on `executor` (host threads or a Thrust device system); the
// pool records draws and computes the adaptation's statistics on the host.
template <class Model, class Executor>
std::vector<chain_result> run_chees(const Model& model, const chees& o, Executor& executor,
                                    chain_block_pool& pool, chees_adaptation* learnt = nullptr) {
  detail::validate_options(o);
  const int d = model.dim();
  ensemble_state state(o.chains, d, model.workspace_size());
  detail::initialise_ensemble(model, o, state, pool);
  detail::ensemble_recorder recorder(model, o.chains, o.save_warmup ? o.warmup : 0, o.draws);
  std::unique_ptr<progress_display> progress;
  if (progress_enabled(o.progress))
    progress = std::make_unique<progress_display>(1, o.warmup, o.draws);
  long long gradients = 0; // per chain

  const auto transition = [&](double eps, int steps, bool commit) {
    executor.run(model, state, [&](const auto* m, const auto& a) {
      using Evaluated = std::remove_cvref_t<decltype(*m)>;
      using Real = typename std::remove_cvref_t<decltype(a)>::real;
      return jittered_hmc_transition<Evaluated, Real>{
          m, a, d, state.workspace, eps, steps, o.max_energy_error, commit};
    });
    gradients += steps;
  };

  // The first step size: doubled or halved until the mean acceptance of one
  // leapfrog step crosses 1/2 (Stan's heuristic, over the chains at once).
  double eps = o.step_size > 0 ? o.step_size : 1.0;
  if (o.step_size == 0) {
    const auto mean_accept = [&](double step) {
      transition(step, 1, false);
      double sum = 0;
      for (double a : state.accept)
        sum += a;
      return sum / o.chains;
    };
    const bool up = mean_accept(eps) > 0.5;
    for (int tries = 0; tries < 100; ++tries) {
      const double next = up ? 2 * eps : 0.5 * eps;
      const double a = mean_accept(next);
      if (up ? !(a > 0.5) : a > 0.5) {
        if (!up) eps = next;
        break;
      }
      eps = next;
    }
  }

  dual_averaging step_adaptation(o.target_accept);
  step_adaptation.set_mu(std::log(10 * eps));
  detail::adam_ascent adam{o.learning_rate};
  double log_length = std::log(eps); // T starts at one step, as the paper
  double log_length_average = log_length;
  const bool adapt_metric = o.metric != metric::unit;
  const bool dense = o.metric == metric::dense;
  metric_factor current = metric_factor::identity(d);
  const int metric_fixed_at = adapt_metric ? (3 * o.warmup) / 4 : 0;
  const int metric_average_from = o.warmup / 2;
  Eigen::MatrixXd covariance_sum = Eigen::MatrixXd::Zero(d, dense ? d : 1);
  int covariance_count = 0;
  const auto use_metric = [&](const metric_factor& next) {
    current = next;
    state.dense = next.dense;
    state.factor.resize(next.size());
    next.write(state.factor.data());
  };
  long halton_index = 0;

  const auto steps_for = [&](double length, double jitter_fraction) {
    const double steps = std::ceil(jitter_fraction * length / eps);
    return static_cast<int>(std::clamp(steps, 1.0, static_cast<double>(o.max_leapfrog_steps)));
  };
  const auto jitter = [&] { return o.jitter * detail::halton2(++halton_index) + (1 - o.jitter); };

  // The warm-up reads the trajectories' ends and momenta (the ChEES
  // criterion) besides what a draw records.
  state.host_reads =
      chain_arrays::recorded | chain_arrays::q_start | chain_arrays::q_end | chain_arrays::p;
  const auto warmup_start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.warmup; ++t) {
    const double h = jitter();
    const double length = std::exp(log_length);
    const int steps = steps_for(length, h);
    transition(eps, steps, true);
    if (o.save_warmup) recorder.record(model, state, pool, t, true, eps, steps);

    const double gradient = detail::chees_gradient(state, current, h, length);
    eps = step_adaptation.learn(detail::harmonic_mean_acceptance(state));
    if (std::isfinite(gradient)) log_length += std::clamp(adam.step(gradient), -0.35, 0.35);
    log_length = std::clamp(log_length, std::log(eps), std::log(eps * o.max_leapfrog_steps));
    const double weight = std::pow(static_cast<double>(t + 1), -0.5);
    log_length_average = (1 - weight) * log_length_average + weight * log_length;

    if (t < metric_fixed_at) {
      Eigen::MatrixXd covariance = metric_factor::covariance(state.positions(), dense);
      if (t >= metric_average_from && covariance.allFinite()) {
        covariance_sum += covariance;
        ++covariance_count;
      }
      if (t + 1 == metric_fixed_at && covariance_count > 0)
        covariance = covariance_sum / covariance_count;
      metric_factor next;
      if (metric_factor::from_covariance(covariance, o.chains, dense, next)) use_metric(next);
    }
    if (progress) progress->update(0, t + 1, 0);
  }
  if (o.warmup > 0) eps = step_adaptation.final_step_size();
  const double length = std::clamp(std::exp(log_length_average), eps, eps * o.max_leapfrog_steps);
  const long long warmup_gradients = gradients;
  const auto sampling_start = std::chrono::steady_clock::now();
  state.host_reads = chain_arrays::recorded;

  int divergences = 0;
  for (int t = 0; t < o.draws; ++t) {
    const int steps = steps_for(length, jitter());
    transition(eps, steps, true);
    recorder.record(model, state, pool, t, false, eps, steps);
    for (int div : state.divergent)
      divergences += div;
    if (progress) progress->update(0, o.warmup + t + 1, divergences);
  }
  if (progress) progress->finish();
  const auto end = std::chrono::steady_clock::now();

  std::vector<chain_result> chains =
      std::move(recorder).finish(state, warmup_gradients, gradients - warmup_gradients,
                                 detail::seconds_between(warmup_start, sampling_start),
                                 detail::seconds_between(sampling_start, end), current, eps);
  if (learnt) *learnt = {eps, length, current.inverse_metric()};
  return chains;
}

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE void validate_options(const chees& o) {
  const auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("statix: sx::chees: ") + what);
  };
  require(o.chains >= 2, "chains must be at least 2 (the adaptation compares chains)");
  require(o.warmup >= 0 && o.draws >= 0, "warmup and draws must not be negative");
  require(o.target_accept > 0 && o.target_accept < 1, "target_accept must lie in (0, 1)");
  require(o.threads >= 0, "threads must not be negative (0: one per hardware thread)");
  require(std::isfinite(o.step_size) && o.step_size >= 0,
          "step_size must be finite and not negative (0: found by the sampler)");
  require(o.max_leapfrog_steps >= 1, "max_leapfrog_steps must be at least 1");
  require(o.learning_rate > 0, "learning_rate must be positive");
  require(o.jitter >= 0 && o.jitter <= 1, "jitter must lie in [0, 1]");
  require(o.max_energy_error > 0, "max_energy_error must be positive");
  require(o.metric == metric::diag || o.metric == metric::dense || o.metric == metric::unit,
          "metric must be sx::metric::diag, sx::metric::dense or sx::metric::unit "
          "(metric::automatic and metric::low_rank are the Fisher warm-up's, of sx::nuts and "
          "sx::hmc)");
  require(o.starts >= 1, "starts must be at least 1");
  require(o.init_radius >= 0 && o.max_init_tries >= 1,
          "init_radius must not be negative and max_init_tries must be at least 1");
}

STATIX_RUNTIME_INLINE double halton2(long i) {
  double result = 0, factor = 0.5;
  for (; i > 0; i >>= 1, factor *= 0.5)
    if (i & 1) result += factor;
  return result;
}

STATIX_RUNTIME_INLINE double harmonic_mean_acceptance(const ensemble_state& state) {
  double inverse_sum = 0;
  int counted = 0;
  for (int c = 0; c < state.chains; ++c) {
    if (state.divergent[static_cast<std::size_t>(c)]) continue;
    const double a = state.accept[static_cast<std::size_t>(c)];
    if (!(a > 0)) return 0.0;
    inverse_sum += 1.0 / a;
    ++counted;
  }
  return counted == 0 ? 0.0 : counted / inverse_sum;
}

STATIX_RUNTIME_INLINE double chees_gradient(const ensemble_state& state,
                                            const metric_factor& metric, double jitter_fraction,
                                            double trajectory_length) {
  const int n = state.chains, d = state.dim;
  const Eigen::MatrixXd z0 = metric.whiten_rows(ensemble_state::rows(state.q_start, n, d));
  const Eigen::MatrixXd z1 = metric.whiten_rows(ensemble_state::rows(state.q_end, n, d));
  const auto m1 = ensemble_state::rows(state.p, n, d);
  Eigen::RowVectorXd mean_end = Eigen::RowVectorXd::Zero(d);
  double weight_sum = 0;
  const auto weight = [&](int c) {
    const auto i = static_cast<std::size_t>(c);
    const double w = state.divergent[i] ? 0.0 : state.accept[i];
    return w > 0 && z1.row(c).allFinite() && m1.row(c).allFinite() ? w : 0.0;
  };
  for (int c = 0; c < n; ++c) {
    const double w = weight(c);
    if (w > 0) {
      mean_end += w * z1.row(c);
      weight_sum += w;
    }
  }
  if (!(weight_sum > 0)) return 0.0;
  mean_end /= weight_sum;
  const Eigen::RowVectorXd mean_start = z0.colwise().mean();
  double gradient = 0;
  for (int c = 0; c < n; ++c) {
    const double w = weight(c);
    if (!(w > 0)) continue;
    const Eigen::RowVectorXd end = z1.row(c) - mean_end;
    const double g =
        (end.squaredNorm() - (z0.row(c) - mean_start).squaredNorm()) * end.dot(m1.row(c));
    gradient += w * g;
  }
  return jitter_fraction * trajectory_length * gradient / weight_sum;
}

} // namespace detail

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
