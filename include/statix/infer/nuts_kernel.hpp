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
// - the generalised criterion p_sharp(-) . rho > 0 and p_sharp(+) . rho > 0 is
//   checked over each merged tree and also across the junction of its two
//   halves (each half extended by the first state of the other), which stops
//   the trajectory from missing U-turns that fall between subtrees;
// - a state whose energy error exceeds max_energy_error is divergent and ends
//   the trajectory; the subtree holding it is discarded.

#include <statix/infer/hamiltonian.hpp>
#include <statix/math/random.hpp>
#include <statix/math/scalar_functions.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <limits>
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
      : system_(system), max_depth_(max_depth), max_energy_error_(max_energy_error) {
    const int d = system.dim();
    z_fwd_ = z_bck_ = phase_point(d);
    sample_ = proposal_ = tree_sample(d);
    for (Eigen::VectorXd* v :
         {&p_fwd_fwd_, &p_sharp_fwd_fwd_, &p_fwd_bck_, &p_sharp_fwd_bck_, &p_bck_fwd_,
          &p_sharp_bck_fwd_, &p_bck_bck_, &p_sharp_bck_bck_, &rho_, &rho_fwd_, &rho_bck_})
      v->setZero(d);
    levels_.resize(static_cast<std::size_t>(max_depth_ > 0 ? max_depth_ : 1));
    for (subtree_storage& level : levels_)
      level.resize(d);
  }

  int max_depth() const { return max_depth_; }

  // One NUTS transition from z (position, log density and gradient set); z is
  // replaced by the selected state (its momentum is left unspecified).
  template <class Rng>
  transition_stats transition(phase_point& z, double step_size, Rng& rng) {
    system_.metric().sample_momentum(z.p, rng);
    const double H0 = system_.hamiltonian(z, p_sharp_fwd_fwd_);

    // The two ends of the trajectory, each extended in place by the integrator.
    z_fwd_ = z;
    z_bck_ = z;
    bool sample_is_start = true; // until a subtree is accepted, the sample is z

    // Momenta and sharp momenta at both ends of the forward and backward subtrees.
    p_fwd_fwd_ = z.p;
    p_fwd_bck_ = z.p;
    p_sharp_fwd_bck_ = p_sharp_fwd_fwd_;
    p_bck_fwd_ = z.p;
    p_sharp_bck_fwd_ = p_sharp_fwd_fwd_;
    p_bck_bck_ = z.p;
    p_sharp_bck_bck_ = p_sharp_fwd_fwd_;

    rho_ = z.p;                // summed momenta along the trajectory
    double log_sum_weight = 0; // log sum of exp(H0 - H) over the trajectory
    int n_leapfrog = 0;
    double sum_metro_prob = 0;
    int depth = 0;
    divergent_ = false;

    while (depth < max_depth_) {
      rho_fwd_.setZero();
      rho_bck_.setZero();
      bool valid_subtree = false;
      double log_sum_weight_subtree = -std::numeric_limits<double>::infinity();

      if (random::uniform01(rng) > 0.5) {
        // Extend forward: the old tree becomes the backward part, its
        // forward end the old trajectory's forward end.
        rho_bck_ = rho_;
        p_bck_fwd_ = p_fwd_fwd_;
        p_sharp_bck_fwd_ = p_sharp_fwd_fwd_;
        valid_subtree = build_tree(z_fwd_, depth, proposal_, p_sharp_fwd_bck_, p_sharp_fwd_fwd_,
                                   rho_fwd_, p_fwd_bck_, p_fwd_fwd_, H0, step_size, n_leapfrog,
                                   log_sum_weight_subtree, sum_metro_prob, rng);
      } else {
        // Extend backward: the old tree becomes the forward part, its
        // backward end the old trajectory's backward end.
        rho_fwd_ = rho_;
        p_fwd_bck_ = p_bck_bck_;
        p_sharp_fwd_bck_ = p_sharp_bck_bck_;
        valid_subtree = build_tree(z_bck_, depth, proposal_, p_sharp_bck_fwd_, p_sharp_bck_bck_,
                                   rho_bck_, p_bck_fwd_, p_bck_bck_, H0, -step_size, n_leapfrog,
                                   log_sum_weight_subtree, sum_metro_prob, rng);
      }

      if (!valid_subtree) break;
      ++depth;

      // Biased progressive sampling between the new subtree and the old tree.
      // The proposal buffer is free once read: swapping moves no data.
      bool take_subtree = log_sum_weight_subtree > log_sum_weight;
      if (!take_subtree)
        take_subtree = random::uniform01(rng) < std::exp(log_sum_weight_subtree - log_sum_weight);
      if (take_subtree) {
        sample_.swap(proposal_);
        sample_is_start = false;
      }
      log_sum_weight = math::log_sum_exp(log_sum_weight, log_sum_weight_subtree);

      rho_ = rho_bck_ + rho_fwd_;
      // Across the whole tree, then across the junction of old tree and subtree.
      const bool persist = no_u_turn(p_sharp_bck_bck_, p_sharp_fwd_fwd_, rho_) &&
                           no_u_turn(p_sharp_bck_bck_, p_sharp_fwd_bck_, rho_bck_ + p_fwd_bck_) &&
                           no_u_turn(p_sharp_bck_fwd_, p_sharp_fwd_fwd_, rho_fwd_ + p_bck_fwd_);
      if (!persist) break;
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

  // Storage for one level of the recursion: only one build_tree call per depth
  // is active at a time, so each depth owns a fixed set of buffers.
  struct subtree_storage {
    tree_sample propose_final;
    Eigen::VectorXd p_init_end, p_sharp_init_end, rho_init;
    Eigen::VectorXd p_final_beg, p_sharp_final_beg, rho_final;
    void resize(int d) {
      propose_final = tree_sample(d);
      for (Eigen::VectorXd* v : {&p_init_end, &p_sharp_init_end, &rho_init, &p_final_beg,
                                 &p_sharp_final_beg, &rho_final})
        v->setZero(d);
    }
  };

  template <class Rho>
  static bool no_u_turn(const Eigen::VectorXd& p_sharp_minus, const Eigen::VectorXd& p_sharp_plus,
                        const Rho& rho) {
    return p_sharp_plus.dot(rho) > 0 && p_sharp_minus.dot(rho) > 0;
  }

  // Builds a subtree of 2^depth leapfrog steps from z (left at the subtree's
  // far end), accumulating its momenta into rho, its weight into
  // log_sum_weight, and setting its multinomial sample into z_propose.
  // Returns false if it diverged or turned back on itself.
  template <class Rng>
  bool build_tree(phase_point& z, int depth, tree_sample& z_propose, Eigen::VectorXd& p_sharp_beg,
                  Eigen::VectorXd& p_sharp_end, Eigen::VectorXd& rho, Eigen::VectorXd& p_beg,
                  Eigen::VectorXd& p_end, double H0, double signed_step, int& n_leapfrog,
                  double& log_sum_weight, double& sum_metro_prob, Rng& rng) {
    if (depth == 0) {
      system_.leapfrog(z, signed_step);
      ++n_leapfrog;
      const double h = system_.hamiltonian(z, p_sharp_beg); // +inf if not finite
      if (h - H0 > max_energy_error_) divergent_ = true;
      log_sum_weight = math::log_sum_exp(log_sum_weight, H0 - h);
      sum_metro_prob += H0 - h > 0 ? 1.0 : std::exp(H0 - h);
      z_propose.q = z.q;
      z_propose.grad = z.grad;
      z_propose.log_density = z.log_density;
      z_propose.energy = h;
      p_sharp_end = p_sharp_beg;
      rho += z.p;
      p_beg = z.p;
      p_end = z.p;
      return !divergent_;
    }

    subtree_storage& s = levels_[static_cast<std::size_t>(depth)];

    // The first half writes its sample straight into z_propose.
    double log_sum_weight_init = -std::numeric_limits<double>::infinity();
    s.rho_init.setZero();
    if (!build_tree(z, depth - 1, z_propose, p_sharp_beg, s.p_sharp_init_end, s.rho_init, p_beg,
                    s.p_init_end, H0, signed_step, n_leapfrog, log_sum_weight_init, sum_metro_prob,
                    rng))
      return false;

    double log_sum_weight_final = -std::numeric_limits<double>::infinity();
    s.rho_final.setZero();
    if (!build_tree(z, depth - 1, s.propose_final, s.p_sharp_final_beg, p_sharp_end, s.rho_final,
                    s.p_final_beg, p_end, H0, signed_step, n_leapfrog, log_sum_weight_final,
                    sum_metro_prob, rng))
      return false;

    // Multinomial (uniform in weight) choice between the two halves.
    const double log_sum_weight_subtree =
        math::log_sum_exp(log_sum_weight_init, log_sum_weight_final);
    log_sum_weight = math::log_sum_exp(log_sum_weight, log_sum_weight_subtree);
    bool take_final = log_sum_weight_final > log_sum_weight_subtree;
    if (!take_final)
      take_final = random::uniform01(rng) < std::exp(log_sum_weight_final - log_sum_weight_subtree);
    if (take_final) z_propose.swap(s.propose_final);

    // Whole subtree, then each half extended by the nearest state of the other.
    const bool persist = no_u_turn(p_sharp_beg, p_sharp_end, s.rho_init + s.rho_final) &&
                         no_u_turn(p_sharp_beg, s.p_sharp_final_beg, s.rho_init + s.p_final_beg) &&
                         no_u_turn(s.p_sharp_init_end, p_sharp_end, s.rho_final + s.p_init_end);
    rho += s.rho_init + s.rho_final;
    return persist;
  }

  hamiltonian_system<Model>& system_;
  int max_depth_;
  double max_energy_error_;
  bool divergent_ = false;

  phase_point z_fwd_, z_bck_;     // the two ends of the trajectory
  tree_sample sample_, proposal_; // current sample, sample of the new subtree
  Eigen::VectorXd p_fwd_fwd_, p_sharp_fwd_fwd_, p_fwd_bck_, p_sharp_fwd_bck_;
  Eigen::VectorXd p_bck_fwd_, p_sharp_bck_fwd_, p_bck_bck_, p_sharp_bck_bck_;
  Eigen::VectorXd rho_, rho_fwd_, rho_bck_;
  std::vector<subtree_storage> levels_;
};

} // namespace statix
