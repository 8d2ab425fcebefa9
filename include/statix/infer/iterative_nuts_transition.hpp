#pragma once

// One NUTS transition of one chain as a functor over the chain index, for
// the ensemble's flat arrays (ensemble_transitions.hpp): no recursion, no
// allocation, the tree in a fixed block of per-chain scratch, so that every
// chain runs in its own device thread (OpenMP, TBB or CUDA) or host thread.
//
// The algorithm is Stan's (>= 2.21) as nuts_kernel.hpp implements it: the
// trajectory doubles in a random direction; a new subtree of 2^depth steps is
// built leaf by leaf, and the merges that the recursion would do after its
// two halves are done in the same order (post-order: after leaf n, one merge
// for each trailing one bit of n), so the stream of uniforms is consumed as
// the recursive build consumes it. A merge draws the subtree's sample from
// its halves in proportion to their weights (multinomial), then applies the
// generalised U-turn criterion over the merged subtree and across its
// junction (each half extended by the nearest state of the other); at the
// top level the new subtree replaces the sample with probability
// min(1, w_new / w_old) (biased progressive sampling). A leaf whose energy
// error exceeds max_energy_error is divergent and ends the trajectory.
//
// Storage: the left halves awaiting their right sibling, one per level
// (as the iterative NUTS of NumPyro and BlackJAX keeps its checkpoints
// indexed by the bits of the leaf index): O(max_depth x dim) per chain.
//
// In the whitened momentum m = L'p (inverse metric L L') the sharp momentum
// M^-1 p is L m and the summed momentum rho = L'^-1 sum m, so every U-turn
// product p_sharp . rho is m . sum m: the criterion needs only m.

#include <statix/base/macros.hpp>
#include <statix/infer/ensemble_transitions.hpp>
#include <statix/math/elementary_functions.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <limits>

namespace statix {

// Numbers of per-chain scratch the transition needs: vectors (in the
// chain's Real) and per-level scalars (in double).
STATIX_HD inline long iterative_nuts_scratch_size(int dim, int max_depth) {
  return static_cast<long>(dim) * (12 + 5L * max_depth);
}
STATIX_HD inline long iterative_nuts_level_scratch_size(int max_depth) {
  return 3L * max_depth;
}

template <class Model, class Real = double>
struct iterative_nuts_transition {
  using ops = chain_vector_ops<Real>;
  const Model* model;
  ensemble_arrays<Real> a;
  int dim;
  int workspace;
  double step_size;
  int max_depth;
  double max_energy_error;

  // Weights stay under exp(max_log_weight) in units of exp(shift): a sum of
  // 2^max_depth of them stays finite.
  static constexpr double max_log_weight = 500;

  STATIX_HD void operator()(int chain) const {
    const long row = static_cast<long>(chain) * dim;
    Real* q = a.q + row; // the current sample, replaced as the tree grows
    Real* g = a.grad + row;
    Real* values = a.values + static_cast<long>(chain) * workspace;
    Real* adjoints = a.adjoints + static_cast<long>(chain) * workspace;
    random::philox& rng = a.rng[chain];
    Real* s = a.tree + static_cast<long>(chain) * iterative_nuts_scratch_size(dim, max_depth);
    const auto vec = [&](int k) { return s + static_cast<long>(k) * dim; };
    Real* q_minus = vec(0);
    Real* m_minus = vec(1);
    Real* g_minus = vec(2);
    Real* q_plus = vec(3);
    Real* m_plus = vec(4);
    Real* g_plus = vec(5);
    Real* rho_tree = vec(6); // summed momenta of the trajectory
    Real* m_join = vec(7);   // the old tree's momentum at the end being extended
    // The subtree being built: summed momenta, momentum at its first state,
    // its sample (its last state's momentum is the trajectory end's).
    Real* rho_c = vec(8);
    Real* m_beg_c = vec(9);
    Real* q_c = vec(10);
    Real* g_c = vec(11);
    // Level j: a completed first half of 2^j steps awaiting its second.
    const auto level = [&](int j, int k) { return vec(12 + 5 * j + k); };
    double* level_scalars =
        a.tree_levels + static_cast<long>(chain) * iterative_nuts_level_scratch_size(max_depth);

    for (int i = 0; i < dim; ++i) {
      const Real m = ops::std_normal(rng);
      m_minus[i] = m_plus[i] = rho_tree[i] = m;
      q_minus[i] = q_plus[i] = q[i];
      g_minus[i] = g_plus[i] = g[i];
    }
    double lp = a.log_density[chain];
    double lp_minus = lp, lp_plus = lp;
    const double H0 = -lp + ops::half_square_norm(m_minus, dim);
    double energy = H0;
    // The weights exp(H0 - H) are summed in linear space, as nuts_kernel.hpp
    // sums them, in units of exp(shift): one exp per leaf, none per merge.
    double shift = 0;
    double sum_weight = 1; // over the trajectory; the start has H = H0
    double sum_metro_prob = 0;
    int n_leapfrog = 0;
    int depth = 0;
    bool divergent = false;
    const double inf = std::numeric_limits<double>::infinity();

    while (depth < max_depth) {
      const bool forward = random::uniform01(rng) > 0.5;
      Real* q_e = forward ? q_plus : q_minus;
      Real* m_e = forward ? m_plus : m_minus;
      Real* g_e = forward ? g_plus : g_minus;
      double& lp_e = forward ? lp_plus : lp_minus;
      const Real* m_outer = forward ? m_minus : m_plus;
      ops::copy(m_join, m_e, dim);
      const double eps = forward ? step_size : -step_size;

      // The subtree of 2^depth leaves, its merges in the recursion's order.
      double w_c = 0, lp_c = 0, h_c = 0;
      bool valid = true;
      const long leaves = 1L << depth;
      for (long n = 0; n < leaves && valid; ++n) {
        lp_e = ops::leapfrog(*model, q_e, m_e, g_e, a.factor, a.dense, eps, dim, values, adjoints);
        double h = -lp_e + ops::half_square_norm(m_e, dim);
        // Not finite (NaN, or -infinity from a log density of +infinity): a
        // state never taken, as the host kernel treats it.
        if (!(h > -inf && h < inf)) h = inf;
        ++n_leapfrog;
        if (h - H0 > max_energy_error) divergent = true;
        const double log_weight = H0 - h; // -infinity when h is not finite
        if (log_weight - shift > max_log_weight) {
          // An energy drop of hundreds: every stored sum to the new unit.
          const double factor = math::exp(shift - log_weight);
          sum_weight *= factor;
          for (int j = 0; j < depth; ++j)
            level_scalars[3 * j + 2] *= factor;
          shift = log_weight;
        }
        const double w = math::exp(log_weight - shift);
        sum_metro_prob += log_weight > 0 ? 1.0 : (shift == 0 ? w : math::exp(log_weight));
        if (divergent) {
          valid = false;
          break;
        }
        ops::copy(rho_c, m_e, dim);
        ops::copy(m_beg_c, m_e, dim);
        ops::copy(q_c, q_e, dim);
        ops::copy(g_c, g_e, dim);
        lp_c = lp_e;
        h_c = h;
        w_c = w;
        int j = 0;
        for (; (n >> j) & 1; ++j) {
          // Merge level j's first half (init) with the subtree just completed (final).
          Real* rho_i = level(j, 0);
          Real* m_beg_i = level(j, 1);
          Real* m_end_i = level(j, 2);
          double* sc = level_scalars + 3 * j;
          const double w_subtree = sc[2] + w_c;
          bool take_final = w_c > w_subtree;
          if (!take_final) take_final = random::uniform01(rng) * w_subtree < w_c;
          if (!take_final) {
            ops::copy(q_c, level(j, 3), dim);
            ops::copy(g_c, level(j, 4), dim);
            lp_c = sc[0];
            h_c = sc[1];
          }
          w_c = w_subtree;
          // Whole subtree, then each half extended by the nearest state of the other.
          const bool ok = ops::no_u_turn(m_beg_i, m_e, rho_i, rho_c, dim) &&
                          ops::no_u_turn(m_beg_i, m_beg_c, rho_i, m_beg_c, dim) &&
                          ops::no_u_turn(m_end_i, m_e, rho_c, m_end_i, dim);
          for (int i = 0; i < dim; ++i)
            rho_c[i] += rho_i[i];
          ops::copy(m_beg_c, m_beg_i, dim);
          if (!ok) {
            valid = false;
            break;
          }
        }
        if (valid && j < depth) {
          ops::copy(level(j, 0), rho_c, dim);
          ops::copy(level(j, 1), m_beg_c, dim);
          ops::copy(level(j, 2), m_e, dim);
          ops::copy(level(j, 3), q_c, dim);
          ops::copy(level(j, 4), g_c, dim);
          double* sc = level_scalars + 3 * j;
          sc[0] = lp_c;
          sc[1] = h_c;
          sc[2] = w_c;
        }
      }
      if (!valid) break;
      ++depth;

      // Biased progressive sampling between the new subtree and the old tree.
      bool take_subtree = w_c > sum_weight;
      if (!take_subtree) take_subtree = random::uniform01(rng) * sum_weight < w_c;
      if (take_subtree) {
        ops::copy(q, q_c, dim);
        ops::copy(g, g_c, dim);
        lp = lp_c;
        energy = h_c;
      }
      sum_weight += w_c;

      // Across the whole tree, then across the junction of old tree and subtree.
      const bool persist = ops::no_u_turn(m_outer, m_e, rho_tree, rho_c, dim) &&
                           ops::no_u_turn(m_outer, m_beg_c, rho_tree, m_beg_c, dim) &&
                           ops::no_u_turn(m_join, m_e, rho_c, m_join, dim);
      for (int i = 0; i < dim; ++i)
        rho_tree[i] += rho_c[i];
      if (!persist) break;
    }

    a.log_density[chain] = lp;
    a.energy[chain] = energy;
    a.accept[chain] = sum_metro_prob / static_cast<double>(n_leapfrog);
    a.divergent[chain] = divergent ? 1 : 0;
    a.tree_depth[chain] = depth;
    a.n_leapfrog[chain] = n_leapfrog;
  }
};

} // namespace statix
