#pragma once

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
// - metric (diag): the chains' pooled variance per coordinate (Stan's
//   regularisation toward 1e-3), re-estimated every iteration in the first
//   three quarters of warm-up, then fixed to its average over iterations W/2
//   to 3W/4, so that the last quarter tunes the step size and T for the
//   metric sampling uses.
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
#include <vector>

namespace statix {

namespace detail {

inline void validate_options(const chees& o) {
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
  require(o.metric == metric::diag || o.metric == metric::unit,
          "metric must be sx::metric::diag or sx::metric::unit");
  require(o.max_energy_error > 0, "max_energy_error must be positive");
  require(o.starts >= 1, "starts must be at least 1");
  require(o.init_radius >= 0 && o.max_init_tries >= 1,
          "init_radius must not be negative and max_init_tries must be at least 1");
}

// The i-th element (i >= 1) of the base-2 Halton (van der Corput) sequence.
inline double halton2(long i) {
  double result = 0, factor = 0.5;
  for (; i > 0; i >>= 1, factor *= 0.5)
    if (i & 1) result += factor;
  return result;
}

// Per-coordinate variance of the chains' positions, shrunk toward 1e-3 as
// Stan regularises its metric (n / (n + 5) var + 1e-3 * 5 / (n + 5)).
inline Eigen::VectorXd pooled_variance(const ensemble_state& state) {
  const auto x = state.positions();
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const double n = state.chains;
  Eigen::VectorXd var = ((x.rowwise() - mean).colwise().squaredNorm() / (n - 1)).transpose();
  return (n / (n + 5.0)) * var.array() + 1e-3 * (5.0 / (n + 5.0));
}

inline double harmonic_mean_acceptance(const ensemble_state& state) {
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

// The ChEES criterion's derivative with respect to log T, averaged over the
// chains with their acceptance probabilities as weights.
inline double chees_gradient(const ensemble_state& state, double jitter_fraction,
                             double trajectory_length) {
  const int n = state.chains, d = state.dim;
  const Eigen::Map<const Eigen::VectorXd> s(state.scale.data(), d);
  Eigen::VectorXd mean_end = Eigen::VectorXd::Zero(d), mean_start = Eigen::VectorXd::Zero(d);
  double weight_sum = 0;
  for (int c = 0; c < n; ++c) {
    const auto i = static_cast<std::size_t>(c);
    const Eigen::Map<const Eigen::VectorXd> q0(state.q_start.data() + i * d, d);
    mean_start += q0.cwiseQuotient(s);
    const Eigen::Map<const Eigen::VectorXd> q1(state.q_end.data() + i * d, d);
    const double w = state.divergent[i] ? 0.0 : state.accept[i];
    if (w > 0 && q1.allFinite()) {
      mean_end += w * q1.cwiseQuotient(s);
      weight_sum += w;
    }
  }
  if (!(weight_sum > 0)) return 0.0;
  mean_start /= n;
  mean_end /= weight_sum;
  double gradient = 0, accept_sum = 0;
  for (int c = 0; c < n; ++c) {
    const auto i = static_cast<std::size_t>(c);
    const double w = state.divergent[i] ? 0.0 : state.accept[i];
    if (!(w > 0)) continue;
    const Eigen::Map<const Eigen::VectorXd> q0(state.q_start.data() + i * d, d);
    const Eigen::Map<const Eigen::VectorXd> q1(state.q_end.data() + i * d, d);
    const Eigen::Map<const Eigen::VectorXd> p1(state.p.data() + i * d, d);
    if (!q1.allFinite() || !p1.allFinite()) continue;
    const Eigen::VectorXd z1 = q1.cwiseQuotient(s) - mean_end;
    const Eigen::VectorXd z0 = q0.cwiseQuotient(s) - mean_start;
    // Whitened velocity: dq/dt = s^2 p, so dz/dt = s p.
    const double g = (z1.squaredNorm() - z0.squaredNorm()) * z1.dot(s.cwiseProduct(p1));
    gradient += w * g;
    accept_sum += w;
  }
  return accept_sum > 0 ? jitter_fraction * trajectory_length * gradient / accept_sum : 0.0;
}

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
  Eigen::VectorXd inv_metric;
};

// Runs ChEES on `executor` (host threads or a Thrust device system); the
// pool records draws and computes the adaptation's statistics on the host.
template <class Model, class Executor>
std::vector<chain_result> run_chees(const Model& model, const chees& o, Executor& executor,
                                    chain_block_pool& pool,
                                    chees_adaptation* learnt = nullptr) {
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
    executor.run(model, state, [&](const Model* m, const ensemble_arrays& a) {
      return jittered_hmc_transition<Model>{m, a, d, state.workspace, eps, steps,
                                            o.max_energy_error, commit};
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
  const int metric_fixed_at = o.metric == metric::diag ? (3 * o.warmup) / 4 : 0;
  const int metric_average_from = o.warmup / 2;
  Eigen::VectorXd variance_sum = Eigen::VectorXd::Zero(d);
  int variance_count = 0;
  long halton_index = 0;

  const auto steps_for = [&](double length, double jitter_fraction) {
    const double steps = std::ceil(jitter_fraction * length / eps);
    return static_cast<int>(std::clamp(steps, 1.0, static_cast<double>(o.max_leapfrog_steps)));
  };
  const auto jitter = [&] { return o.jitter * detail::halton2(++halton_index) + (1 - o.jitter); };

  const auto warmup_start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.warmup; ++t) {
    const double h = jitter();
    const double length = std::exp(log_length);
    const int steps = steps_for(length, h);
    transition(eps, steps, true);
    if (o.save_warmup) recorder.record(model, state, pool, t, true, eps, steps);

    const double gradient = detail::chees_gradient(state, h, length);
    eps = step_adaptation.learn(detail::harmonic_mean_acceptance(state));
    if (std::isfinite(gradient))
      log_length += std::clamp(adam.step(gradient), -0.35, 0.35);
    log_length = std::clamp(log_length, std::log(eps), std::log(eps * o.max_leapfrog_steps));
    const double weight = std::pow(static_cast<double>(t + 1), -0.5);
    log_length_average = (1 - weight) * log_length_average + weight * log_length;

    if (t < metric_fixed_at) {
      const Eigen::VectorXd variance = detail::pooled_variance(state);
      if (t >= metric_average_from) {
        variance_sum += variance;
        ++variance_count;
      }
      const Eigen::VectorXd next =
          t + 1 == metric_fixed_at && variance_count > 0 ? Eigen::VectorXd(variance_sum / variance_count)
                                                         : variance;
      if (next.allFinite())
        for (int i = 0; i < d; ++i)
          state.scale[static_cast<std::size_t>(i)] = std::sqrt(next[i]);
    }
    if (progress) progress->update(0, t + 1, 0);
  }
  if (o.warmup > 0) eps = step_adaptation.final_step_size();
  const double length = std::clamp(std::exp(log_length_average), eps, eps * o.max_leapfrog_steps);
  const long long warmup_gradients = gradients;
  const auto sampling_start = std::chrono::steady_clock::now();

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

  std::vector<chain_result> chains = std::move(recorder).finish(
      state, warmup_gradients, gradients - warmup_gradients,
      detail::seconds_between(warmup_start, sampling_start),
      detail::seconds_between(sampling_start, end), false);
  Eigen::VectorXd inv_metric(d);
  for (int i = 0; i < d; ++i)
    inv_metric[i] = state.scale[static_cast<std::size_t>(i)] * state.scale[static_cast<std::size_t>(i)];
  for (chain_result& c : chains) {
    c.step_size = eps;
    c.inv_metric = inv_metric;
  }
  if (learnt) *learnt = {eps, length, inv_metric};
  return chains;
}

} // namespace statix
