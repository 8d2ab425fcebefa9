#pragma once

// Where a chain starts (as Stan's services initialize()): the unconstrained
// values given for the chain, else the user's values by name (converted by the
// model), the remaining entries uniform in (-radius, radius); retried until the
// log density and its gradient are finite.

#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/sampler_options.hpp>
#include <statix/math/random.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix {

struct initial_point_request {
  int chain_id = 1;                          // 1-based, for messages
  const Eigen::VectorXd* position = nullptr; // unconstrained start (warm restart), or null
  const named_values* inits = nullptr;       // by name on the constrained scale, or null
  double radius = 2.0;
  int max_tries = 100;
};

template <class Model, class Rng>
void find_initial_point(hamiltonian_system<Model>& system, const initial_point_request& request,
                        phase_point& z, Rng& rng) {
  const int d = system.dim();
  const auto finite_at = [&](phase_point& point) {
    system.evaluate(point);
    return std::isfinite(point.log_density) && point.grad.allFinite();
  };
  const std::string where = "statix: chain " + std::to_string(request.chain_id) + ": ";

  if (request.position) {
    if (request.position->size() != d)
      throw std::invalid_argument(
          where + "the initial position has " + std::to_string(request.position->size()) +
          " values, the model has " + std::to_string(d) + " unconstrained dimensions");
    z.q = *request.position;
    if (!finite_at(z))
      throw std::runtime_error(where + "the log density or its gradient is not finite at the "
                                       "given initial position");
    return;
  }

  // Entries the user's values leave unset stay NaN: those are drawn at random.
  Eigen::VectorXd fixed = Eigen::VectorXd::Constant(d, std::numeric_limits<double>::quiet_NaN());
  if (request.inits && !request.inits->empty())
    system.model().unconstrain_into(*request.inits, fixed);
  const bool any_random = fixed.array().isNaN().any();
  const int tries = any_random && request.radius > 0 ? request.max_tries : 1;

  for (int attempt = 0; attempt < tries; ++attempt) {
    for (int i = 0; i < d; ++i)
      z.q[i] =
          std::isnan(fixed[i]) ? request.radius * (2.0 * random::uniform01(rng) - 1.0) : fixed[i];
    if (finite_at(z)) return;
  }

  std::ostringstream message;
  message << where;
  if (!any_random)
    message << "the log density or its gradient is not finite at the given initial values";
  else
    message << "no initial point with a finite log density and gradient was found in " << tries
            << " tries (uniform(-" << request.radius << ", " << request.radius
            << ") on the unconstrained scale); give initial values with .inits, a smaller "
               ".init_radius, or check the model";
  throw std::runtime_error(message.str());
}

} // namespace statix
