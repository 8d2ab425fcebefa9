#pragma once

// Stan's initial step-size heuristic (base_hmc::init_stepsize; Hoffman &
// Gelman 2014, Algorithm 4): from a fresh momentum, one leapfrog step; double
// the step size while the acceptance exp(H0 - H) stays above 0.8, or halve it
// while it stays below, until it crosses 0.8.

#include <statix/infer/hamiltonian.hpp>

#include <cmath>
#include <stdexcept>

namespace statix {

// z: the current state (position, log density, gradient); left unchanged.
// scratch: a phase_point of the model's dimension.
template <class Model, class Rng>
double initial_step_size(hamiltonian_system<Model>& system, const phase_point& z, double step_size,
                         phase_point& scratch, Rng& rng) {
  // Extreme values could loop for ever.
  if (step_size == 0 || step_size > 1e7 || std::isnan(step_size)) return step_size;

  const double log_threshold = std::log(0.8);
  const auto energy_change = [&](double eps) {
    scratch = z;
    system.metric().sample_momentum(scratch.p, rng);
    const double H0 = system.hamiltonian(scratch);
    system.leapfrog(scratch, eps);
    return H0 - system.hamiltonian(scratch); // -inf when the step left the support
  };

  const int direction = energy_change(step_size) > log_threshold ? 1 : -1;
  while (true) {
    const double delta_h = energy_change(step_size);
    if (direction == 1 && !(delta_h > log_threshold)) break;
    if (direction == -1 && !(delta_h < log_threshold)) break;
    step_size = direction == 1 ? 2 * step_size : 0.5 * step_size;
    if (step_size > 1e7)
      throw std::runtime_error("statix: the step size grew without bound while initialising: "
                               "the posterior is improper; check the model");
    if (step_size == 0)
      throw std::runtime_error("statix: no acceptably small step size could be found; is the "
                               "posterior continuous?");
  }
  return step_size;
}

} // namespace statix
