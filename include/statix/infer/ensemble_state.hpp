#pragma once

#include <statix/base/runtime_linkage.hpp>

// The state of an ensemble sampler on the host: flat arrays (chains x dim) of
// positions, momenta, gradients and per-chain results, each chain's Philox
// stream, the model workspaces; the chains' starting points; and the rows of
// every chain's draws, as chain_result holds them for the fit. Executors run
// a transition functor over the arrays (ensemble_transitions.hpp): on host
// threads here, through Thrust in parallel/on_device.hpp.

#include <statix/base/chain_result.hpp>
#include <statix/infer/chain_block_pool.hpp>
#include <statix/infer/ensemble_start.hpp>
#include <statix/infer/ensemble_transitions.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/initial_point.hpp>
#include <statix/infer/parallel_chains.hpp>
#include <statix/math/philox.hpp>

#include <Eigen/Dense>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace statix {

// The chains' arrays of an ensemble_state, as bits: which of them the host
// reads after a transition, or has written since the last one.
namespace chain_arrays {
enum : unsigned {
  q = 1u << 0,
  p = 1u << 1,
  grad = 1u << 2,
  log_density = 1u << 3,
  q_start = 1u << 4,
  q_end = 1u << 5,
  grad_end = 1u << 6,
  accept = 1u << 7,
  energy = 1u << 8,
  slice = 1u << 9,
  divergent = 1u << 10,
  rng = 1u << 11,
  tree_depth = 1u << 12,
  n_leapfrog = 1u << 13,
  all = (1u << 14) - 1,
  // What ensemble_recorder writes a draw from.
  recorded = q | log_density | accept | energy | divergent | tree_depth | n_leapfrog,
};
} // namespace chain_arrays

struct ensemble_state {
  int chains = 0, dim = 0, workspace = 0;
  std::vector<double> q, p, grad, log_density, q_start, q_end, grad_end, accept, energy, slice;
  std::vector<int> divergent;
  std::vector<random::philox> rng;
  // The model workspaces of host threads (host_executor makes them on first
  // use; the device path keeps its own on the device).
  std::vector<double> values, adjoints;
  std::vector<double> factor, step_size, alpha, delta; // see ensemble_arrays
  std::vector<int> fold_of;
  int frozen_fold = -1;
  bool dense = false;
  std::vector<int> superchain; // per chain, from the start (empty: none)
  // Pooled NUTS only (empty otherwise): per-chain tree depth and leapfrog
  // steps, and the trees' scratch.
  std::vector<int> tree_depth, n_leapfrog;
  std::vector<double> tree, tree_levels;
  // The device path (parallel/on_device.hpp) keeps the chains' arrays in
  // device memory between transitions and moves only what the host uses:
  // after a transition it brings back the arrays in host_reads, and before
  // the next it sends those in host_wrote (then clears it). A sampler
  // narrows host_reads to what its next steps read, and adds to host_wrote
  // what it changes; the adaptation's parameters (factor, step_size, alpha,
  // delta, fold_of) always go. Host threads use the arrays in place.
  unsigned host_reads = chain_arrays::all;
  unsigned host_wrote = chain_arrays::all;

  ensemble_state(int n_chains, int n_dim, int n_workspace)
      : chains(n_chains), dim(n_dim), workspace(n_workspace) {
    const auto rows = static_cast<std::size_t>(chains) * static_cast<std::size_t>(dim);
    for (auto* v : {&q, &p, &grad, &q_start, &q_end, &grad_end})
      v->assign(rows, 0.0);
    for (auto* v : {&log_density, &accept, &energy, &slice})
      v->assign(static_cast<std::size_t>(chains), 0.0);
    divergent.assign(static_cast<std::size_t>(chains), 0);
    rng.resize(static_cast<std::size_t>(chains));
    factor.assign(static_cast<std::size_t>(dim), 1.0);
  }

  ensemble_arrays<double> arrays() {
    ensemble_arrays<double> a;
    a.q = q.data();
    a.p = p.data();
    a.grad = grad.data();
    a.log_density = log_density.data();
    a.q_start = q_start.data();
    a.q_end = q_end.data();
    a.grad_end = grad_end.data();
    a.accept = accept.data();
    a.energy = energy.data();
    a.slice = slice.data();
    a.divergent = divergent.data();
    a.rng = rng.data();
    a.values = values.data();
    a.adjoints = adjoints.data();
    a.factor = factor.data();
    a.dense = dense ? 1 : 0;
    a.step_size = step_size.data();
    a.alpha = alpha.data();
    a.delta = delta.data();
    a.fold_of = fold_of.data();
    a.frozen_fold = frozen_fold;
    a.tree_depth = tree_depth.data();
    a.n_leapfrog = n_leapfrog.data();
    a.tree = tree.data();
    a.tree_levels = tree_levels.data();
    return a;
  }

  Eigen::Map<const Eigen::VectorXd> position(int chain) const {
    return {q.data() + static_cast<std::size_t>(chain) * dim, dim};
  }
  // Rows of a (chains x dim) array as a matrix.
  static Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
  rows(const std::vector<double>& v, int chains, int dim) {
    return {v.data(), chains, dim};
  }
  // Chain positions as the rows of a (chains x dim) matrix.
  Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
  positions() const {
    return {q.data(), chains, dim};
  }
};

// A metric as its factor L (inverse metric L L'), from an estimate of the
// posterior covariance: square roots of its diagonal, or its Cholesky factor.
struct metric_factor {
  bool dense = false;
  Eigen::MatrixXd lower; // dense
  Eigen::VectorXd scale; // diagonal

  static metric_factor identity(int dim) { return {false, {}, Eigen::VectorXd::Ones(dim)}; }

  // The sample covariance of the rows of x (chains x dim), or (not dense)
  // only its diagonal, as a column.
  static STATIX_RUNTIME_INLINE Eigen::MatrixXd covariance(const Eigen::MatrixXd& x, bool dense);

  // From a covariance estimated from n draws, shrunk toward 1e-3 I as Stan
  // regularises its metric (n / (n + 5) cov + 1e-3 * 5 / (n + 5)); false when
  // it is not finite or (dense) not positive definite.
  static STATIX_RUNTIME_INLINE bool from_covariance(const Eigen::MatrixXd& cov, double n,
                                                    bool dense, metric_factor& out);

  static bool from_rows(const Eigen::MatrixXd& x, bool dense, metric_factor& out) {
    return from_covariance(covariance(x, dense), static_cast<double>(x.rows()), dense, out);
  }

  int dim() const {
    return dense ? static_cast<int>(lower.rows()) : static_cast<int>(scale.size());
  }

  // L^-1 x: coordinates in which the metric is the identity.
  Eigen::VectorXd whiten(const Eigen::VectorXd& x) const {
    if (!dense) return x.cwiseQuotient(scale);
    return lower.triangularView<Eigen::Lower>().solve(x);
  }
  // Rows of x times L (gradients into whitened coordinates: L' g per row).
  Eigen::MatrixXd times_factor(const Eigen::MatrixXd& x) const {
    if (!dense) return x * scale.asDiagonal();
    return x * lower;
  }
  // Rows of x whitened: (L^-1 x')' per row.
  Eigen::MatrixXd whiten_rows(const Eigen::MatrixXd& x) const {
    if (!dense) return x * scale.cwiseInverse().asDiagonal();
    return lower.triangularView<Eigen::Lower>().solve(x.transpose()).transpose();
  }
  // The inverse metric as chain_result reports it: a column (diagonal) or a matrix.
  Eigen::MatrixXd inverse_metric() const {
    if (!dense) return scale.cwiseAbs2();
    return lower * lower.transpose();
  }
  // Into the flat factor array at `out` (dim or dim x dim row-major numbers).
  void write(double* out) const {
    const int d = dim();
    if (!dense) {
      for (int i = 0; i < d; ++i)
        out[i] = scale[i];
      return;
    }
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j)
        out[static_cast<std::size_t>(i) * d + j] = j <= i ? lower(i, j) : 0.0;
  }
  std::size_t size() const {
    const auto d = static_cast<std::size_t>(dim());
    return dense ? d * d : d;
  }
};

#if STATIX_RUNTIME_DEFINITIONS

STATIX_RUNTIME_INLINE Eigen::MatrixXd metric_factor::covariance(const Eigen::MatrixXd& x,
                                                                bool dense) {
  const Eigen::MatrixXd centred = x.rowwise() - x.colwise().mean();
  const double n = static_cast<double>(x.rows());
  if (!dense) return centred.colwise().squaredNorm().transpose() / (n - 1);
  return (centred.transpose() * centred) / (n - 1);
}

STATIX_RUNTIME_INLINE bool metric_factor::from_covariance(const Eigen::MatrixXd& cov, double n,
                                                          bool dense, metric_factor& out) {
  const double shrink = n / (n + 5.0), floor = 1e-3 * 5.0 / (n + 5.0);
  if (!cov.allFinite()) return false;
  if (!dense) {
    const Eigen::VectorXd var =
        cov.cols() == 1 ? Eigen::VectorXd(cov.col(0)) : Eigen::VectorXd(cov.diagonal());
    out = {false, {}, (var.array() * shrink + floor).cwiseSqrt().matrix()};
    return true;
  }
  Eigen::MatrixXd shrunk = shrink * cov;
  shrunk.diagonal().array() += floor;
  const Eigen::LLT<Eigen::MatrixXd> llt(shrunk);
  if (llt.info() != Eigen::Success) return false;
  out = {true, llt.matrixL(), {}};
  return true;
}

#endif // STATIX_RUNTIME_DEFINITIONS

// Runs a transition over every chain on host threads.
struct host_executor {
  chain_block_pool* pool;

  template <class Model, class MakeTransition>
  void run(const Model& model, ensemble_state& state, MakeTransition&& make_transition) {
    const std::size_t workspace = static_cast<std::size_t>(state.chains) * state.workspace;
    if (state.values.size() != workspace) {
      state.values.assign(workspace, 0.0);
      state.adjoints.assign(workspace, 0.0);
    }
    const auto transition = make_transition(&model, state.arrays());
    pool->for_each_chain(state.chains, [&](int c) { transition(c); });
  }
};

namespace detail {

// Each chain's starting point as NUTS finds it, from the chain's own Philox
// stream, which then goes on to drive its transitions.
template <class Model, class Options>
void initialise_ensemble(const Model& model, const Options& o, ensemble_state& state,
                         chain_block_pool& pool) {
  const ensemble_starts starts = laplace_starting_points(model, o, pool);
  state.superchain = starts.superchain;
  const std::vector<Eigen::VectorXd>& positions =
      starts.points.empty() ? o.init_positions : starts.points;
  pool.for_each_chain(state.chains, [&](int c) {
    hamiltonian_system<Model> system(model, metric::unit);
    phase_point z(state.dim);
    random::philox rng(o.seed, static_cast<std::uint64_t>(c));
    initial_point_request request;
    request.chain_id = c + 1;
    if (!positions.empty())
      request.position = &positions[static_cast<std::size_t>(c) % positions.size()];
    request.inits = &o.inits;
    request.radius = o.init_radius;
    request.max_tries = o.max_init_tries;
    find_initial_point(system, request, z, rng);
    const std::size_t row = static_cast<std::size_t>(c) * state.dim;
    for (int i = 0; i < state.dim; ++i) {
      state.q[row + i] = z.q[i];
      state.grad[row + i] = z.grad[i];
    }
    state.log_density[static_cast<std::size_t>(c)] = z.log_density;
    state.rng[static_cast<std::size_t>(c)] = rng;
  });
}

// Every chain's draws as CmdStan's columns, written row by row as the
// ensemble iterates.
class ensemble_recorder {
public:
  template <class Model>
  ensemble_recorder(const Model& model, int chains, int warmup_rows, int draw_rows) {
    std::vector<std::string> columns = sampler_column_names();
    for (std::string& name : model.output_names())
      columns.push_back(std::move(name));
    n_columns_ = static_cast<int>(columns.size());
    results_.resize(static_cast<std::size_t>(chains));
    for (int c = 0; c < chains; ++c) {
      chain_result& r = results_[static_cast<std::size_t>(c)];
      r.chain_id = c + 1;
      r.column_names = columns;
      r.warmup_draws.resize(warmup_rows, n_columns_);
      r.draws.resize(draw_rows, n_columns_);
    }
  }

  // Row `row` of every chain's warm-up (or post-warm-up) draws: the sampler
  // columns from the state, then the model's quantities at the position.
  template <class Model>
  void record(const Model& model, const ensemble_state& state, chain_block_pool& pool, int row,
              bool warmup, double step_size, int n_leapfrog) {
    constexpr int sampler_columns = 7;
    pool.for_each_chain(state.chains, [&](int c) {
      const auto i = static_cast<std::size_t>(c);
      chain_result& r = results_[i];
      Eigen::MatrixXd& draws = warmup ? r.warmup_draws : r.draws;
      thread_local Eigen::VectorXd buffer;
      buffer.resize(n_columns_);
      const bool moved = state.accept[i] >= 0;
      buffer[0] = state.log_density[i];
      buffer[1] = moved ? state.accept[i] : 0.0;
      buffer[2] = state.step_size.empty() ? step_size : step_size_of(state, c);
      buffer[3] = state.tree_depth.empty() ? 0 : state.tree_depth[i];
      buffer[4] = !moved ? 0 : state.n_leapfrog.empty() ? n_leapfrog : state.n_leapfrog[i];
      buffer[5] = moved ? state.divergent[i] : 0;
      buffer[6] = state.energy[i];
      const Eigen::VectorXd q = state.position(c);
      model.write_output(q, buffer.data() + sampler_columns);
      draws.row(row) = buffer.transpose();
    });
  }

  std::vector<chain_result> finish(const ensemble_state& state, long long warmup_gradients,
                                   long long sampling_gradients, double warmup_seconds,
                                   double sampling_seconds, const metric_factor& metric,
                                   double step_size) && {
    const Eigen::MatrixXd inv_metric = metric.inverse_metric();
    for (int c = 0; c < state.chains; ++c) {
      chain_result& r = results_[static_cast<std::size_t>(c)];
      r.last_position = state.position(c);
      r.gradient_evaluations = warmup_gradients + sampling_gradients;
      r.sampling_gradient_evaluations = sampling_gradients;
      r.warmup_seconds = warmup_seconds;
      r.sampling_seconds = sampling_seconds;
      r.dense_metric = metric.dense;
      r.inv_metric = inv_metric;
      r.step_size = step_size;
      if (!state.superchain.empty()) r.superchain = state.superchain[static_cast<std::size_t>(c)];
    }
    return std::move(results_);
  }

private:
  static double step_size_of(const ensemble_state& state, int c) {
    const int fold = state.fold_of.empty() ? 0 : state.fold_of[static_cast<std::size_t>(c)];
    return state.step_size[static_cast<std::size_t>(fold)];
  }

  int n_columns_ = 0;
  std::vector<chain_result> results_;
};

STATIX_RUNTIME_INLINE double seconds_between(std::chrono::steady_clock::time_point a,
                                             std::chrono::steady_clock::time_point b);

// Unbiased estimate of tr(S^2) / tr(S), S the second-moment matrix of the rows
// of x: close to S's largest eigenvalue unless many eigenvalues are a little
// smaller (Hoffman & Sountsov 2022, sec. 3.2; less variable than an estimate
// of the largest eigenvalue itself).
STATIX_RUNTIME_INLINE double largest_eigenvalue_estimate(const Eigen::MatrixXd& x);

} // namespace detail

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE double seconds_between(std::chrono::steady_clock::time_point a,
                                             std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

STATIX_RUNTIME_INLINE double largest_eigenvalue_estimate(const Eigen::MatrixXd& x) {
  const Eigen::Index n = x.rows();
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  // sum over i != j of (x_i . x_j)^2 = |X X'|_F^2 - sum_i |x_i|^4, and
  // |X X'|_F = |X' X|_F: the smaller of the two Gram matrices serves (the
  // d x d one when the fold has more chains than dimensions).
  const Eigen::VectorXd row_norms = x.rowwise().squaredNorm();
  const double all_pairs =
      x.cols() < n ? (x.transpose() * x).squaredNorm() : (x * x.transpose()).squaredNorm();
  const double trace = row_norms.sum() / static_cast<double>(n);
  const double trace_of_square =
      (all_pairs - row_norms.squaredNorm()) / static_cast<double>(n * (n - 1));
  return trace_of_square / trace;
}

} // namespace detail

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
