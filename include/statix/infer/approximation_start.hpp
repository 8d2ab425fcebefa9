#pragma once

// Where ADVI and each Pathfinder path start, as a NUTS chain and sx::optimize
// do (infer/initial_point.hpp): the unconstrained point given, else the inits
// by name, the rest uniform(-radius, radius) on the unconstrained scale
// (Stan's default radius 2), retried until the log density and its gradient
// are finite. Errors name the method instead of a chain.

#include <statix/base/named_values.hpp>
#include <statix/infer/hamiltonian.hpp>
#include <statix/infer/initial_point.hpp>

#include <Eigen/Dense>

#include <stdexcept>
#include <string>

namespace statix::detail {

struct approximation_start_request {
  const Eigen::VectorXd* position = nullptr; // used when not empty
  const named_values* inits = nullptr;
  double radius = 2.0;
  int max_tries = 100;
};

template <class Model, class Rng>
Eigen::VectorXd find_approximation_start(const Model& model, const approximation_start_request& r,
                                         Rng& rng, const std::string& method) {
  const auto rename = [&](const char* message) {
    std::string text(message);
    const std::string chain = "chain 1: ";
    if (const auto at = text.find(chain); at != std::string::npos)
      text.replace(at, chain.size(), method + ": ");
    return text;
  };
  hamiltonian_system<Model> system(model, metric::unit);
  phase_point z(model.dim());
  initial_point_request request;
  request.position = r.position && r.position->size() > 0 ? r.position : nullptr;
  request.inits = r.inits;
  request.radius = r.radius;
  request.max_tries = r.max_tries;
  try {
    find_initial_point(system, request, z, rng);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(rename(e.what()));
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(rename(e.what()));
  }
  return z.q;
}

} // namespace statix::detail
