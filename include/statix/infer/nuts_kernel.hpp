#pragma once

// The No-U-Turn sampler with multinomial sampling of the trajectory (Hoffman &
// Gelman 2014; Betancourt 2017, "A Conceptual Introduction to Hamiltonian Monte
// Carlo", appendix A), as Stan's base_nuts (Stan >= 2.21) builds it:
// - the trajectory doubles in a random direction until the no-U-turn
//   criterion fails, a subtree diverges or max_depth doublings are reached;
// - within a subtree states are drawn uniformly in proportion to exp(-H)
//   (multinomial); at the top level the new subtree replaces the current
//   sample with probability min(1, w_new / w_old) (biased progressive
//   sampling, favouring states far from the start);
// - the weights exp(H0 - H) are summed in linear space (Stan sums their
//   logarithms): each comparison u < w_new / w_old is u w_old < w_new, which
//   takes the same decision but at a rounding edge, without the exp and log1p
//   pair that each log_sum_exp costs (on a ten-parameter model that pair was
//   about 15 % of the run);
// - the generalised criterion p_sharp(-) . rho > 0 and p_sharp(+) . rho > 0 is
//   checked over each merged tree and also across the junction of its two
//   halves (each half extended by the first state of the other), which stops
//   the trajectory from missing U-turns that fall between subtrees;
// - a state whose energy error exceeds max_energy_error is divergent and ends
//   the trajectory; the subtree holding it is discarded.

#include <statix/infer/hamiltonian.hpp>
#include <statix/math/random.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <utility>
#include <vector>

namespace statix {

// What one transition reports: the sampler columns of a draw.
struct transition_stats {
  double accept_stat = 0; // mean Metropolis acceptance over the trajectory
  int tree_depth = 0;
  int n_leapfrog = 0;
  bool divergent = false;
  double energy = 0; // Hamiltonian at the selected state
};

template <class Model>
class nuts_kernel {
public:
  nuts_kernel(hamiltonian_system<Model>& system, int max_depth, double max_energy_error)
      : system_(system), max_depth_(max_depth), max_energy_error_(max_energy_error),
        dim_(system.dim()), stride_((system.dim() + 1) / 2 * 2) {
    const int levels = max_depth_ > 0 ? max_depth_ : 1;
    weights_.assign(static_cast<std::size_t>(2 + 2 * levels), 0.0);
    // Every vector of the tree in one block, sized once: the trajectory's
    // ends and momentum sums, and per depth the vectors of one build_tree
    // call (only one is active per depth).
    storage_.setZero(static_cast<Eigen::Index>(stride_) * (11 + 6 * levels));
    double* next = storage_.data();
    const auto take = [&] {
      double* v = next;
      next += stride_;
      return v;
    };
    for (double** v :
         {&p_fwd_fwd_, &p_sharp_fwd_fwd_, &p_fwd_bck_, &p_sharp_fwd_bck_, &p_bck_fwd_,
          &p_sharp_bck_fwd_, &p_bck_bck_, &p_sharp_bck_bck_, &rho_, &rho_fwd_, &rho_bck_})
      *v = take();
    levels_.resize(static_cast<std::size_t>(levels));
    for (subtree_storage& level : levels_) {
      level.propose_final = tree_sample(dim_);
      for (double** v : {&level.p_init_end, &level.p_sharp_init_end, &level.rho_init,
                         &level.p_final_beg, &level.p_sharp_final_beg, &level.rho_final})
        *v = take();
    }
    fwd_.point = bck_.point = phase_point(dim_);
    sample_ = proposal_ = tree_sample(dim_);
  }
  // The pointers above point into this object's own storage.
  nuts_kernel(const nuts_kernel&) = delete;
  nuts_kernel& operator=(const nuts_kernel&) = delete;

  int max_depth() const { return max_depth_; }

  // One NUTS transition from z (position, log density and gradient set); z is
  // replaced by the selected state (its momentum is left unspecified).
  template <class Rng>
  transition_stats transition(phase_point& z, double step_size, Rng& rng) {
    system_.metric().sample_momentum(z.p, rng);
    const double H0 = system_.hamiltonian(z, p_sharp_fwd_fwd_);

    // Both ends of the trajectory start at z, read in place until the first
    // step in their direction writes their own point.
    start_ = &z;
    fwd_.moved = bck_.moved = false;
    bool sample_is_start = true; // until a subtree is accepted, the sample is z

    // Momenta and sharp momenta at the two ends and the summed momenta. The
    // inner ends (p_fwd_bck_, p_bck_fwd_ and their sharp momenta) are set
    // before they are read.
    {
      const double* p = z.p.data();
      for (int i = 0; i < dim_; ++i) {
        p_fwd_fwd_[i] = p_bck_bck_[i] = rho_[i] = p[i];
        p_sharp_bck_bck_[i] = p_sharp_fwd_fwd_[i];
      }
    }
    // Sum of the weights exp(H0 - H) over the trajectory and over the new
    // subtree, in units of exp(shift_) (weights_ may be rescaled).
    shift_ = 0;
    double& sum_weight = weights_[trajectory_slot];
    double& sum_weight_subtree = weights_[subtree_slot];
    sum_weight = 1; // the start, H = H0
    int n_leapfrog = 0;
    double sum_metro_prob = 0;
    int depth = 0;
    divergent_ = false;

    while (depth < max_depth_) {
      bool valid_subtree = false;
      sum_weight_subtree = 0;

      // The old tree becomes one part: its summed momenta and its end on the
      // side of the new subtree move there (pointer swaps; the vectors
      // swapped out are written before they are read).
      if (random::uniform01(rng) > 0.5) {
        std::swap(rho_bck_, rho_);
        std::swap(p_bck_fwd_, p_fwd_fwd_);
        std::swap(p_sharp_bck_fwd_, p_sharp_fwd_fwd_);
        valid_subtree = build_tree(fwd_, depth, proposal_, p_sharp_fwd_bck_, p_sharp_fwd_fwd_,
                                   rho_fwd_, p_fwd_bck_, p_fwd_fwd_, H0, step_size, n_leapfrog,
                                   subtree_slot, sum_metro_prob, rng);
      } else {
        std::swap(rho_fwd_, rho_);
        std::swap(p_fwd_bck_, p_bck_bck_);
        std::swap(p_sharp_fwd_bck_, p_sharp_bck_bck_);
        valid_subtree = build_tree(bck_, depth, proposal_, p_sharp_bck_fwd_, p_sharp_bck_bck_,
                                   rho_bck_, p_bck_fwd_, p_bck_bck_, H0, -step_size, n_leapfrog,
                                   subtree_slot, sum_metro_prob, rng);
      }

      if (!valid_subtree) break;
      ++depth;

      // Biased progressive sampling between the new subtree and the old tree.
      // The proposal buffer is free once read: swapping moves no data.
      bool take_subtree = sum_weight_subtree > sum_weight;
      if (!take_subtree) take_subtree = random::uniform01(rng) * sum_weight < sum_weight_subtree;
      if (take_subtree) {
        sample_.swap(proposal_);
        sample_is_start = false;
      }
      sum_weight += sum_weight_subtree;

      // Across the whole tree, then across the junction of old tree and subtree.
      const tree_parts whole{.rho_first = rho_bck_,
                             .rho_second = rho_fwd_,
                             .p_first_end = p_bck_fwd_,
                             .p_second_beg = p_fwd_bck_,
                             .p_sharp_beg = p_sharp_bck_bck_,
                             .p_sharp_first_end = p_sharp_bck_fwd_,
                             .p_sharp_second_beg = p_sharp_fwd_bck_,
                             .p_sharp_end = p_sharp_fwd_fwd_};
      if (!no_u_turn(whole, rho_)) break;
    }

    transition_stats stats;
    stats.n_leapfrog = n_leapfrog;
    stats.tree_depth = depth;
    stats.divergent = divergent_;
    // Stan's accept_stat: mean acceptance over every state built, including
    // those of a rejected (diverging or turning) last subtree.
    stats.accept_stat = sum_metro_prob / static_cast<double>(n_leapfrog);
    if (sample_is_start) {
      stats.energy = H0;
    } else {
      z.q.swap(sample_.q);
      z.grad.swap(sample_.grad);
      z.log_density = sample_.log_density;
      stats.energy = sample_.energy;
    }
    return stats;
  }

private:
  // A state the trajectory may return: what the next transition and the
  // recorded draw need (no momentum: its energy is kept instead).
  struct tree_sample {
    Eigen::VectorXd q, grad;
    double log_density = 0;
    double energy = 0;
    tree_sample() = default;
    explicit tree_sample(int d) : q(Eigen::VectorXd::Zero(d)), grad(Eigen::VectorXd::Zero(d)) {}
    void swap(tree_sample& other) {
      q.swap(other.q);
      grad.swap(other.grad);
      std::swap(log_density, other.log_density);
      std::swap(energy, other.energy);
    }
  };

  // One end of the trajectory: its own point once it has moved, the
  // transition's start before.
  struct trajectory_end {
    phase_point point;
    bool moved = false;
  };

  // The vectors of one build_tree call at a depth > 0 (arrays of dim_ in
  // storage_) and the sample of its second half.
  struct subtree_storage {
    tree_sample propose_final;
    double *p_init_end = nullptr, *p_sharp_init_end = nullptr, *rho_init = nullptr;
    double *p_final_beg = nullptr, *p_sharp_final_beg = nullptr, *rho_final = nullptr;
  };

  // A tree made of a first part and a second one: the summed momenta of
  // each, the momenta and sharp momenta at the junction, and the sharp
  // momenta at the tree's two ends.
  struct tree_parts {
    const double *rho_first, *rho_second, *p_first_end, *p_second_beg;
    const double *p_sharp_beg, *p_sharp_first_end, *p_sharp_second_beg, *p_sharp_end;
  };

  // Stan's three U-turn checks of such a tree, p_sharp(-) . r > 0 and
  // p_sharp(+) . r > 0 for r the whole tree's summed momenta (written into
  // rho) and for each part extended by the other's nearest state, in one pass
  // over the vectors. Only the signs of the six dot products are used, so
  // they are summed in this pass's order (Eigen's dot would round otherwise):
  // the same decisions but at a rounding edge. The pass runs over Eigen's
  // widest SIMD packets, each lane a running sum, then element by element.
  bool no_u_turn(const tree_parts& t, double* rho) const {
    namespace simd = Eigen::internal;
    using packet = simd::packet_traits<double>::type;
    constexpr int width = simd::packet_traits<double>::size;
    const auto load = [](const double* v, int i) { return simd::ploadu<packet>(v + i); };
    const packet zero = simd::pset1<packet>(0.0);
    packet whole_beg_lanes = zero, whole_end_lanes = zero, first_beg_lanes = zero,
           first_end_lanes = zero, second_beg_lanes = zero, second_end_lanes = zero;
    int i = 0;
    for (; i + width <= dim_; i += width) {
      const packet first = load(t.rho_first, i), second = load(t.rho_second, i);
      const packet whole = simd::padd(first, second);
      simd::pstoreu(rho + i, whole);
      const packet first_extended = simd::padd(first, load(t.p_second_beg, i));
      const packet second_extended = simd::padd(second, load(t.p_first_end, i));
      const packet sharp_beg = load(t.p_sharp_beg, i), sharp_end = load(t.p_sharp_end, i);
      whole_beg_lanes = simd::padd(whole_beg_lanes, simd::pmul(sharp_beg, whole));
      whole_end_lanes = simd::padd(whole_end_lanes, simd::pmul(sharp_end, whole));
      first_beg_lanes = simd::padd(first_beg_lanes, simd::pmul(sharp_beg, first_extended));
      first_end_lanes =
          simd::padd(first_end_lanes, simd::pmul(load(t.p_sharp_second_beg, i), first_extended));
      second_beg_lanes =
          simd::padd(second_beg_lanes, simd::pmul(load(t.p_sharp_first_end, i), second_extended));
      second_end_lanes = simd::padd(second_end_lanes, simd::pmul(sharp_end, second_extended));
    }
    double whole_beg = simd::predux(whole_beg_lanes), whole_end = simd::predux(whole_end_lanes),
           first_beg = simd::predux(first_beg_lanes), first_end = simd::predux(first_end_lanes),
           second_beg = simd::predux(second_beg_lanes), second_end = simd::predux(second_end_lanes);
    for (; i < dim_; ++i) {
      const double first = t.rho_first[i], second = t.rho_second[i];
      const double whole = first + second;
      rho[i] = whole;
      const double first_extended = first + t.p_second_beg[i];
      const double second_extended = second + t.p_first_end[i];
      whole_beg += t.p_sharp_beg[i] * whole;
      whole_end += t.p_sharp_end[i] * whole;
      first_beg += t.p_sharp_beg[i] * first_extended;
      first_end += t.p_sharp_second_beg[i] * first_extended;
      second_beg += t.p_sharp_first_end[i] * second_extended;
      second_end += t.p_sharp_end[i] * second_extended;
    }
    return whole_beg > 0 && whole_end > 0 && first_beg > 0 && first_end > 0 && second_beg > 0 &&
           second_end > 0;
  }

  // Builds a subtree of 2^depth leapfrog steps from the end `end` (left at the
  // subtree's far end), writing its summed momenta into rho, the momenta and
  // sharp momenta at its first and last states into p_beg, p_sharp_beg, p_end
  // and p_sharp_end, adding its weight to weights_[weight_slot] and setting its
  // multinomial sample into z_propose. Returns false if it diverged or turned
  // back on itself (the outputs are then incomplete and unused).
  template <class Rng>
  bool build_tree(trajectory_end& end, int depth, tree_sample& z_propose, double* p_sharp_beg,
                  double* p_sharp_end, double* rho, double* p_beg, double* p_end, double H0,
                  double signed_step, int& n_leapfrog, std::size_t weight_slot,
                  double& sum_metro_prob, Rng& rng) {
    if (depth == 0) {
      const phase_point& from = end.moved ? end.point : *start_;
      end.moved = true;
      const double h =
          system_.leapfrog_step(from, end.point, signed_step,
                                leapfrog_outputs{.position = z_propose.q.data(),
                                                 .gradient = z_propose.grad.data(),
                                                 .velocity = p_sharp_beg,
                                                 .velocity2 = p_sharp_end,
                                                 .momentum = p_beg,
                                                 .momentum2 = p_end,
                                                 .momentum3 = rho}); // +inf if not finite
      ++n_leapfrog;
      if (h - H0 > max_energy_error_) divergent_ = true;
      const double log_weight = H0 - h; // -infinity when h is not finite
      if (log_weight - shift_ > max_log_weight) rescale(log_weight);
      const double w = std::exp(log_weight - shift_);
      weights_[weight_slot] += w;
      // exp(H0 - h) is w unless a rescaling has happened (rare: an energy
      // drop of hundreds, far from the typical set).
      const double exp_log_weight = shift_ == 0 ? w : std::exp(log_weight);
      sum_metro_prob += log_weight > 0 ? 1.0 : exp_log_weight;
      z_propose.log_density = end.point.log_density;
      z_propose.energy = h;
      return !divergent_;
    }

    subtree_storage& s = levels_[static_cast<std::size_t>(depth)];

    // The first half writes its sample straight into z_propose.
    const std::size_t init_slot = 2 * static_cast<std::size_t>(depth), final_slot = init_slot + 1;
    weights_[init_slot] = 0;
    if (!build_tree(end, depth - 1, z_propose, p_sharp_beg, s.p_sharp_init_end, s.rho_init, p_beg,
                    s.p_init_end, H0, signed_step, n_leapfrog, init_slot, sum_metro_prob, rng))
      return false;

    weights_[final_slot] = 0;
    if (!build_tree(end, depth - 1, s.propose_final, s.p_sharp_final_beg, p_sharp_end, s.rho_final,
                    s.p_final_beg, p_end, H0, signed_step, n_leapfrog, final_slot, sum_metro_prob,
                    rng))
      return false;

    // Multinomial (uniform in weight) choice between the two halves.
    const double sum_weight_final = weights_[final_slot];
    const double sum_weight_subtree = weights_[init_slot] + sum_weight_final;
    weights_[weight_slot] += sum_weight_subtree;
    bool take_final = sum_weight_final > sum_weight_subtree;
    if (!take_final) take_final = random::uniform01(rng) * sum_weight_subtree < sum_weight_final;
    if (take_final) z_propose.swap(s.propose_final);

    // Whole subtree, then each half extended by the nearest state of the other.
    return no_u_turn(tree_parts{.rho_first = s.rho_init,
                                .rho_second = s.rho_final,
                                .p_first_end = s.p_init_end,
                                .p_second_beg = s.p_final_beg,
                                .p_sharp_beg = p_sharp_beg,
                                .p_sharp_first_end = s.p_sharp_init_end,
                                .p_sharp_second_beg = s.p_sharp_final_beg,
                                .p_sharp_end = p_sharp_end},
                     rho);
  }

  // Weights are kept under exp(max_log_weight) in units of exp(shift_): a sum
  // of 2^max_depth of them stays finite. Above it, every sum is rescaled.
  static constexpr double max_log_weight = 500;
  void rescale(double new_shift) {
    const double factor = std::exp(shift_ - new_shift); // may underflow to 0: negligible weights
    for (double& w : weights_)
      w *= factor;
    shift_ = new_shift;
  }

  hamiltonian_system<Model>& system_;
  int max_depth_;
  double max_energy_error_;
  int dim_;
  int stride_; // dim_ rounded up to even: every vector starts 16-byte aligned
  bool divergent_ = false;

  const phase_point* start_ = nullptr; // the transition's start
  trajectory_end fwd_, bck_;
  tree_sample sample_, proposal_; // current sample, sample of the new subtree
  Eigen::VectorXd storage_;
  // Momenta and sharp momenta at both ends of the forward and backward
  // parts, summed momenta of the trajectory and of each part: arrays of dim_
  // in storage_.
  double *p_fwd_fwd_ = nullptr, *p_sharp_fwd_fwd_ = nullptr, *p_fwd_bck_ = nullptr,
         *p_sharp_fwd_bck_ = nullptr;
  double *p_bck_fwd_ = nullptr, *p_sharp_bck_fwd_ = nullptr, *p_bck_bck_ = nullptr,
         *p_sharp_bck_bck_ = nullptr;
  double *rho_ = nullptr, *rho_fwd_ = nullptr, *rho_bck_ = nullptr;
  std::vector<subtree_storage> levels_;
  // Sums of weights: [trajectory_slot] the trajectory, [subtree_slot] the new
  // subtree, [2 depth] and [2 depth + 1] the two halves of the subtree being
  // built at that depth.
  static constexpr std::size_t trajectory_slot = 0, subtree_slot = 1;
  std::vector<double> weights_;
  double shift_ = 0; // the weights' unit is exp(shift_)
};

} // namespace statix
