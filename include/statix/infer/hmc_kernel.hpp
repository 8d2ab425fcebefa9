#pragma once

// Static HMC: a fixed number of leapfrog steps and a Metropolis accept/reject
// of the end point (Duane et al. 1987; Neal 2011, "MCMC using Hamiltonian
// dynamics", sec. 5.2). Reports the same sampler columns as NUTS: tree depth 0,
// n_leapfrog = steps taken, accept_stat = min(1, exp(H0 - H)).

#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/nuts_kernel.hpp> // transition_stats
#include <statix/math/random.hpp>

#include <cmath>

namespace statix {

template <class Model>
class hmc_kernel {
public:
  hmc_kernel(hamiltonian_system<Model>& system, int steps, double max_energy_error)
      : system_(system), steps_(steps), max_energy_error_(max_energy_error), z_(system.dim()) {}

  int steps() const { return steps_; }

  template <class Rng>
  transition_stats transition(phase_point& z, double step_size, Rng& rng) {
    system_.metric().sample_momentum(z.p, rng);
    const double H0 = system_.hamiltonian(z);
    z_ = z;
    transition_stats stats;
    for (int i = 0; i < steps_; ++i) {
      system_.leapfrog(z_, step_size);
      ++stats.n_leapfrog;
      if (!std::isfinite(z_.log_density))
        break; // the end point will be rejected; save the remaining gradients
    }
    const double h = system_.hamiltonian(z_); // +inf if not finite
    stats.divergent = h - H0 > max_energy_error_;
    const double accept_prob = std::exp(H0 - h);
    if (accept_prob >= 1 || random::uniform01(rng) < accept_prob) z = z_;
    stats.accept_stat = accept_prob < 1 ? accept_prob : 1.0;
    stats.energy = system_.hamiltonian(z);
    return stats;
  }

private:
  hamiltonian_system<Model>& system_;
  int steps_;
  double max_energy_error_;
  phase_point z_;
};

} // namespace statix
