#pragma once

// One iteration of one chain of an ensemble sampler, as a functor over the
// chain index: plain loops over the chain's rows of flat (chains x dim)
// arrays and its own workspace and Philox stream, no allocation, nothing
// shared between chains. The same functor runs on host threads and on a
// Thrust device system (OpenMP, TBB or CUDA), which is what makes their
// draws the same. Its vector operations are chain_vector_ops<Real>: double,
// or float under sx::device_policy<float>.

#include <statix/base/macros.hpp>
#include <statix/infer/chain_vector_ops.hpp>
#include <statix/math/elementary_functions.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <limits>

namespace statix {

// Where an ensemble's state lives. Rows of `dim` numbers per chain; the
// vectors in Real (chain_vector_ops.hpp), per-chain scalars and the
// adaptation's parameters in double.
template <class Real>
struct ensemble_arrays {
  using real = Real;
  Real* q = nullptr;    // position (unconstrained)
  Real* p = nullptr;    // whitened momentum m (ChEES: the proposal's; MEADS: persistent)
  Real* grad = nullptr; // gradient of the log density at q
  double* log_density = nullptr;
  Real* q_start = nullptr;  // ChEES: position before the iteration
  Real* q_end = nullptr;    // position at the trajectory's end (the proposal)
  Real* grad_end = nullptr; // its gradient
  double* accept = nullptr; // acceptance probability of this iteration
  double* energy = nullptr; // Hamiltonian of the chain's state after the iteration
  double* slice = nullptr;  // MEADS: the persistent slice variable in (-1, 1)
  int* divergent = nullptr;
  random::philox* rng = nullptr;
  Real* values = nullptr; // model workspace, `workspace` numbers per chain
  Real* adjoints = nullptr;
  // Parameters. The metric's factor L (inverse metric L L'): dim numbers for
  // a diagonal metric (its square roots), dim x dim row-major lower
  // triangular for a dense one; ChEES has one, MEADS one per fold. MEADS:
  // step_size, alpha, delta one per fold, fold_of one per chain.
  const Real* factor = nullptr;
  int dense = 0;
  const double* step_size = nullptr;
  const double* alpha = nullptr;
  const double* delta = nullptr;
  const int* fold_of = nullptr;
  int frozen_fold = -1;
  // Pooled NUTS (iterative_nuts_transition.hpp): per chain, the depth and
  // leapfrog steps of the last transition and the tree's scratch: vectors
  // (iterative_nuts_scratch_size numbers) and per-level scalars
  // (iterative_nuts_level_scratch_size numbers).
  int* tree_depth = nullptr;
  int* n_leapfrog = nullptr;
  Real* tree = nullptr;
  double* tree_levels = nullptr;
};

namespace detail {

// A non-finite energy error counts as +infinity (the proposal is rejected).
STATIX_HD inline double energy_error(double h_start, double h_end) {
  const double e = h_end - h_start;
  return e == e ? e : std::numeric_limits<double>::infinity();
}

} // namespace detail

// ChEES: a fresh momentum, `steps` leapfrog steps, a Metropolis test. With
// `commit` false (the step-size search) the chain keeps its state.
template <class Model, class Real = double>
struct jittered_hmc_transition {
  using ops = chain_vector_ops<Real>;
  const Model* model;
  ensemble_arrays<Real> a;
  int dim;
  int workspace;
  double step_size;
  int steps;
  double max_energy_error;
  bool commit;

  STATIX_HD void operator()(int chain) const {
    const long row = static_cast<long>(chain) * dim;
    Real* q = a.q + row;
    Real* g = a.grad + row;
    Real* q1 = a.q_end + row;
    Real* g1 = a.grad_end + row;
    Real* p = a.p + row;
    Real* values = a.values + static_cast<long>(chain) * workspace;
    Real* adjoints = a.adjoints + static_cast<long>(chain) * workspace;
    random::philox& rng = a.rng[chain];
    for (int i = 0; i < dim; ++i) {
      a.q_start[row + i] = q[i];
      q1[i] = q[i];
      g1[i] = g[i];
      p[i] = ops::std_normal(rng);
    }
    const double h0 = -a.log_density[chain] + ops::half_square_norm(p, dim);
    double lp = a.log_density[chain];
    for (int k = 0; k < steps && lp == lp && lp > -std::numeric_limits<double>::infinity(); ++k)
      lp = ops::leapfrog(*model, q1, p, g1, a.factor, a.dense, step_size, dim, values, adjoints);
    const double h1 = -lp + ops::half_square_norm(p, dim);
    const double error = detail::energy_error(h0, h1);
    const double accept = error <= 0 ? 1.0 : math::exp(-error);
    a.accept[chain] = accept;
    a.divergent[chain] = error > max_energy_error ? 1 : 0;
    const double u = random::uniform01(rng);
    if (commit && u < accept) {
      for (int i = 0; i < dim; ++i) {
        q[i] = q1[i];
        g[i] = g1[i];
      }
      a.log_density[chain] = lp;
      a.energy[chain] = h1;
    } else {
      a.energy[chain] = h0;
    }
  }
};

// MEADS: generalised HMC with the parameters of the chain's fold. The
// persistent momentum is kept whitened (m = L' p), so a fold's new metric
// applies to it directly.
template <class Model, class Real = double>
struct generalized_hmc_transition {
  using ops = chain_vector_ops<Real>;
  const Model* model;
  ensemble_arrays<Real> a;
  int dim;
  int workspace;
  double max_energy_error;

  STATIX_HD void operator()(int chain) const {
    const int fold = a.fold_of[chain];
    if (fold == a.frozen_fold) {
      a.accept[chain] = -1; // did not move: the row repeats the last draw
      return;
    }
    const long row = static_cast<long>(chain) * dim;
    Real* q = a.q + row;
    Real* g = a.grad + row;
    Real* m = a.p + row;
    Real* q1 = a.q_end + row;
    Real* g1 = a.grad_end + row;
    Real* p1 = a.q_start + row; // scratch: the momentum being integrated
    Real* values = a.values + static_cast<long>(chain) * workspace;
    Real* adjoints = a.adjoints + static_cast<long>(chain) * workspace;
    random::philox& rng = a.rng[chain];
    const Real* factor =
        a.factor + static_cast<long>(fold) * (a.dense ? static_cast<long>(dim) * dim : dim);
    const double eps = a.step_size[fold];
    const double alpha = a.alpha[fold];
    const double keep = math::sqrt(1.0 - alpha);
    const double fresh = math::sqrt(alpha);
    double kinetic = 0;
    for (int i = 0; i < dim; ++i) {
      m[i] = static_cast<Real>(keep * m[i] + fresh * random::std_normal(rng));
      p1[i] = m[i];
      q1[i] = q[i];
      g1[i] = g[i];
      kinetic += static_cast<double>(m[i]) * static_cast<double>(m[i]);
    }
    // The slice variable moves by delta each iteration (Neal 2020): a
    // non-reversible accept test whose rejections come in runs.
    double u = a.slice[chain] + 1.0 + a.delta[fold];
    if (u >= 2.0) u -= 2.0;
    u -= 1.0;
    const double h0 = -a.log_density[chain] + 0.5 * kinetic;
    const double lp =
        ops::leapfrog(*model, q1, p1, g1, factor, a.dense, eps, dim, values, adjoints);
    const double h1 = -lp + ops::half_square_norm(p1, dim);
    const double error = detail::energy_error(h0, h1);
    a.accept[chain] = error <= 0 ? 1.0 : math::exp(-error);
    a.divergent[chain] = error > max_energy_error ? 1 : 0;
    const double abs_u = u < 0 ? -u : u;
    if (math::log(abs_u) <= -error) {
      for (int i = 0; i < dim; ++i) {
        q[i] = q1[i];
        g[i] = g1[i];
        m[i] = p1[i];
      }
      a.log_density[chain] = lp;
      a.energy[chain] = h1;
      u *= math::exp(error);
    } else {
      for (int i = 0; i < dim; ++i)
        m[i] = -m[i];
      a.energy[chain] = h0;
    }
    a.slice[chain] = u;
  }
};

} // namespace statix
