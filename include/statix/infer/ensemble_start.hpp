#pragma once

// Where the chains of an ensemble sampler start.
//
// The ensemble samplers adapt from the spread of the chains, which is only
// informative once the chains are in the typical set: from Stan's uniform
// (-2, 2) inits, a posterior such as kidiq (coefficients of scales 0.15 to
// 15, correlations -0.99) leaves chains stranded for hundreds of iterations
// with gradients of 1e8, and the cross-chain estimates (the harmonic mean
// acceptance, MEADS's largest eigenvalue of the scaled gradients) are set by
// those stragglers: every chain ends with a step size of 1e-2 (ChEES) or 1e-9
// (MEADS). So by default (`ensemble_start::laplace`) `starts` L-BFGS runs
// (sx::optimize with the Jacobian, from the usual random inits with seeds
// seed, seed + 1, ...) find modes of the density sampled, and chain c starts
// at a draw from the normal approximation at mode c mod starts (as
// sx::laplace). Several modes keep multimodality visible to R-hat. Where
// there is no normal approximation (an optimisation that fails, a Hessian
// that is not negative definite or cannot be computed), or with
// `ensemble_start::random`, each chain starts as a NUTS chain does. Given
// `init_positions`, chains start there.

#include <statix/infer/ensemble_options.hpp>
#include <statix/infer/optimize.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <vector>

namespace statix {

namespace detail {

// The chains' unconstrained starting points, or none (start at random).
template <class Model, class Options>
std::vector<Eigen::VectorXd> laplace_starting_points(const Model& model, const Options& o) {
  if (o.start != ensemble_start::laplace || !o.init_positions.empty() || model.dim() == 0)
    return {};
  const int d = model.dim();
  struct normal_approximation {
    Eigen::VectorXd mode;
    Eigen::MatrixXd lower; // L L' = -H
  };
  std::vector<normal_approximation> approximations;
  for (int k = 0; k < o.starts; ++k) {
    try {
      lbfgs search;
      search.seed = o.seed + static_cast<std::uint64_t>(k);
      search.jacobian = true;
      search.init_radius = o.init_radius;
      search.inits = o.inits;
      search.max_init_tries = o.max_init_tries;
      const auto found = optimize(model, search);
      const Eigen::VectorXd mode = found.unconstrained();
      Eigen::VectorXd gradient(d);
      Eigen::MatrixXd hessian(d, d);
      const double lp = model.log_density_hessian(mode, gradient, hessian,
                                                  density_options{.jacobian = true, .propto = true});
      if (!std::isfinite(lp) || !hessian.allFinite()) continue;
      const Eigen::MatrixXd precision = -0.5 * (hessian + hessian.transpose());
      const Eigen::LLT<Eigen::MatrixXd> llt(precision);
      if (llt.info() != Eigen::Success || !(llt.matrixLLT().diagonal().array() > 0).all()) continue;
      approximations.push_back({mode, llt.matrixL()});
    } catch (const std::exception&) {
      // No normal approximation from this start (e.g. no finite initial
      // point, or a model whose Hessian is not implemented).
    }
  }
  if (approximations.empty()) return {};
  // Each chain's draw from a stream keyed apart from the chains' own.
  std::vector<Eigen::VectorXd> points(static_cast<std::size_t>(o.chains));
  for (int c = 0; c < o.chains; ++c) {
    const normal_approximation& a =
        approximations[static_cast<std::size_t>(c) % approximations.size()];
    random::philox rng(o.seed ^ 0x9E3779B97F4A7C15ull, static_cast<std::uint64_t>(c));
    Eigen::VectorXd z(d);
    for (int i = 0; i < d; ++i)
      z[i] = std::clamp(random::std_normal(rng), -2.0, 2.0);
    points[static_cast<std::size_t>(c)] = a.mode + a.lower.transpose().template triangularView<Eigen::Upper>().solve(z);
  }
  return points;
}

} // namespace detail

} // namespace statix
