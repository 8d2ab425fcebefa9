#pragma once

// One iteration of one chain of an ensemble sampler, as a functor over the
// chain index: plain loops over the chain's rows of flat (chains x dim)
// arrays and its own workspace and Philox stream, no allocation, nothing
// shared between chains. The same functor runs on host threads and on a
// Thrust device system (OpenMP, TBB or CUDA), which is what makes their
// draws the same.

#include <statix/base/density_options.hpp>
#include <statix/base/macros.hpp>
#include <statix/math/elementary_functions.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <limits>

namespace statix {

// Where an ensemble's state lives. Rows of `dim` numbers per chain.
struct ensemble_arrays {
  double* q = nullptr;    // position (unconstrained)
  double* p = nullptr;    // whitened momentum m (ChEES: the proposal's; MEADS: persistent)
  double* grad = nullptr; // gradient of the log density at q
  double* log_density = nullptr;
  double* q_start = nullptr;  // ChEES: position before the iteration
  double* q_end = nullptr;    // position at the trajectory's end (the proposal)
  double* grad_end = nullptr; // its gradient
  double* accept = nullptr;   // acceptance probability of this iteration
  double* energy = nullptr;   // Hamiltonian of the chain's state after the iteration
  double* slice = nullptr;    // MEADS: the persistent slice variable in (-1, 1)
  int* divergent = nullptr;
  random::philox* rng = nullptr;
  double* values = nullptr; // model workspace, `workspace` numbers per chain
  double* adjoints = nullptr;
  // Parameters. The metric's factor L (inverse metric L L'): dim numbers for
  // a diagonal metric (its square roots), dim x dim row-major lower
  // triangular for a dense one; ChEES has one, MEADS one per fold. MEADS:
  // step_size, alpha, delta one per fold, fold_of one per chain.
  const double* factor = nullptr;
  int dense = 0;
  const double* step_size = nullptr;
  const double* alpha = nullptr;
  const double* delta = nullptr;
  const int* fold_of = nullptr;
  int frozen_fold = -1;
  // Pooled NUTS (iterative_nuts_transition.hpp): per chain, the depth and
  // leapfrog steps of the last transition and the tree's scratch
  // (iterative_nuts_scratch_size numbers).
  int* tree_depth = nullptr;
  int* n_leapfrog = nullptr;
  double* tree = nullptr;
};

namespace detail {

inline constexpr density_options sampler_density{.jacobian = true, .propto = true};

// q += c L m, with L the metric's factor (diagonal or lower triangular).
STATIX_HD inline void add_factor_product(double* q, const double* factor, const double* m, double c,
                                         int dim, int dense) {
  if (!dense) {
    for (int i = 0; i < dim; ++i)
      q[i] += c * factor[i] * m[i];
    return;
  }
  for (int i = 0; i < dim; ++i) {
    double sum = 0;
    for (int j = 0; j <= i; ++j)
      sum += factor[static_cast<long>(i) * dim + j] * m[j];
    q[i] += c * sum;
  }
}

// m += c L' g.
STATIX_HD inline void add_factor_transpose_product(double* m, const double* factor, const double* g,
                                                   double c, int dim, int dense) {
  if (!dense) {
    for (int i = 0; i < dim; ++i)
      m[i] += c * factor[i] * g[i];
    return;
  }
  for (int i = 0; i < dim; ++i) {
    double sum = 0;
    for (int j = i; j < dim; ++j)
      sum += factor[static_cast<long>(j) * dim + i] * g[j];
    m[i] += c * sum;
  }
}

// One leapfrog step of H(q, m) = -log p(q) + m'm / 2 in the whitened
// momentum m = L' p (inverse metric L L'): kick m by L' grad, drift q by L m.
// Returns the new log density.
template <class Model>
STATIX_HD double whitened_leapfrog(const Model& model, double* q, double* m, double* g,
                                   const double* factor, int dense, double eps, int dim,
                                   double* values, double* adjoints) {
  add_factor_transpose_product(m, factor, g, 0.5 * eps, dim, dense);
  add_factor_product(q, factor, m, eps, dim, dense);
  const double lp = model.log_density_gradient(q, g, values, adjoints, sampler_density);
  add_factor_transpose_product(m, factor, g, 0.5 * eps, dim, dense);
  return lp;
}

STATIX_HD inline double half_square_norm(const double* m, int dim) {
  double k = 0;
  for (int i = 0; i < dim; ++i)
    k += m[i] * m[i];
  return 0.5 * k;
}

// A non-finite energy error counts as +infinity (the proposal is rejected).
STATIX_HD inline double energy_error(double h_start, double h_end) {
  const double e = h_end - h_start;
  return e == e ? e : std::numeric_limits<double>::infinity();
}

} // namespace detail

// ChEES: a fresh momentum, `steps` leapfrog steps, a Metropolis test. With
// `commit` false (the step-size search) the chain keeps its state.
template <class Model>
struct jittered_hmc_transition {
  const Model* model;
  ensemble_arrays a;
  int dim;
  int workspace;
  double step_size;
  int steps;
  double max_energy_error;
  bool commit;

  STATIX_HD void operator()(int chain) const {
    const long row = static_cast<long>(chain) * dim;
    double* q = a.q + row;
    double* g = a.grad + row;
    double* q1 = a.q_end + row;
    double* g1 = a.grad_end + row;
    double* p = a.p + row;
    double* values = a.values + static_cast<long>(chain) * workspace;
    double* adjoints = a.adjoints + static_cast<long>(chain) * workspace;
    random::philox& rng = a.rng[chain];
    for (int i = 0; i < dim; ++i) {
      a.q_start[row + i] = q[i];
      q1[i] = q[i];
      g1[i] = g[i];
      p[i] = random::std_normal(rng);
    }
    const double h0 = -a.log_density[chain] + detail::half_square_norm(p, dim);
    double lp = a.log_density[chain];
    for (int k = 0; k < steps && lp == lp && lp > -std::numeric_limits<double>::infinity(); ++k)
      lp = detail::whitened_leapfrog(*model, q1, p, g1, a.factor, a.dense, step_size, dim, values,
                                     adjoints);
    const double h1 = -lp + detail::half_square_norm(p, dim);
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
template <class Model>
struct generalized_hmc_transition {
  const Model* model;
  ensemble_arrays a;
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
    double* q = a.q + row;
    double* g = a.grad + row;
    double* m = a.p + row;
    double* q1 = a.q_end + row;
    double* g1 = a.grad_end + row;
    double* p1 = a.q_start + row; // scratch: the momentum being integrated
    double* values = a.values + static_cast<long>(chain) * workspace;
    double* adjoints = a.adjoints + static_cast<long>(chain) * workspace;
    random::philox& rng = a.rng[chain];
    const double* factor =
        a.factor + static_cast<long>(fold) * (a.dense ? static_cast<long>(dim) * dim : dim);
    const double eps = a.step_size[fold];
    const double alpha = a.alpha[fold];
    const double keep = math::sqrt(1.0 - alpha);
    const double fresh = math::sqrt(alpha);
    double kinetic = 0;
    for (int i = 0; i < dim; ++i) {
      m[i] = keep * m[i] + fresh * random::std_normal(rng);
      p1[i] = m[i];
      q1[i] = q[i];
      g1[i] = g[i];
      kinetic += m[i] * m[i];
    }
    // The slice variable moves by delta each iteration (Neal 2020): a
    // non-reversible accept test whose rejections come in runs.
    double u = a.slice[chain] + 1.0 + a.delta[fold];
    if (u >= 2.0) u -= 2.0;
    u -= 1.0;
    const double h0 = -a.log_density[chain] + 0.5 * kinetic;
    const double lp =
        detail::whitened_leapfrog(*model, q1, p1, g1, factor, a.dense, eps, dim, values, adjoints);
    const double h1 = -lp + detail::half_square_norm(p1, dim);
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
