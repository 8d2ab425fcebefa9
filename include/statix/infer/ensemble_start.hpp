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
// at a draw, at half scale, from the normal approximation at mode c mod
// starts (as sx::laplace; see laplace_starting_points for the half scale and
// the redrawing of draws far below the mode). Chains from one mode form a
// superchain for nested R-hat, and several modes keep multimodality visible
// to it. Where
// there is no normal approximation (an optimisation that fails, a Hessian
// that is not negative definite or cannot be computed), or with
// `ensemble_start::random`, each chain starts as a NUTS chain does. Given
// `init_positions`, chains start there.

#include <statix/infer/chain_block_pool.hpp>
#include <statix/infer/ensemble_options.hpp>
#include <statix/infer/optimize.hpp>
#include <statix/math/philox.hpp>
#include <statix/math/random.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <vector>

namespace statix {

namespace detail {

// The chains' unconstrained starting points and, for each chain, the mode it
// started near (1, 2, ...: its superchain for nested R-hat); none where the
// chains start at random.
struct ensemble_starts {
  std::vector<Eigen::VectorXd> points;
  std::vector<int> superchain;
};

template <class Model, class Options>
ensemble_starts laplace_starting_points(const Model& model, const Options& o,
                                        chain_block_pool& pool) {
  if (o.start != ensemble_start::laplace || !o.init_positions.empty() || model.dim() == 0)
    return {};
  const int d = model.dim();
  struct normal_approximation {
    Eigen::VectorXd mode;
    Eigen::MatrixXd lower; // L L' = -H
    double log_density;    // at the mode
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
      const double lp = model.log_density_hessian(
          mode, gradient, hessian, density_options{.jacobian = true, .propto = true});
      if (!std::isfinite(lp) || !hessian.allFinite()) continue;
      const Eigen::MatrixXd precision = -0.5 * (hessian + hessian.transpose());
      const Eigen::LLT<Eigen::MatrixXd> llt(precision);
      if (llt.info() != Eigen::Success || !(llt.matrixLLT().diagonal().array() > 0).all()) continue;
      approximations.push_back({mode, llt.matrixL(), lp});
    } catch (const std::exception&) {
      // No normal approximation from this start (e.g. no finite initial
      // point, or a model whose Hessian is not implemented).
    }
  }
  if (approximations.empty()) return {};
  // Each chain's draw from a stream keyed apart from the chains' own. Under
  // the normal approximation, the drop of the log density from the mode is
  // chi-square(d) / 2 (mean d / 2, sd sqrt(d / 2)); a draw whose true drop
  // exceeds its mean by 3 sd lies where the posterior is much thinner than
  // the approximation says (eight schools: tau of 200 from a Laplace sd of 2
  // in log tau), where a step size adapted to the bulk leaves a chain stuck
  // for good. Such draws are drawn again (at most 100 times; then the
  // highest is kept).
  const double max_drop = 0.5 * d + 3.0 * std::sqrt(0.5 * d);
  // Draws at half the approximation's scale: where the posterior has a
  // funnel the approximation overstates the spread of its log scale, and a
  // chain started in the funnel's narrow part (eight schools: tau of 100,
  // where theta_trans's scale is a fifth of the bulk's) rejects every move of
  // a step size adapted to the bulk. Warm-up spreads the chains from there.
  const double start_scale = 0.5;
  ensemble_starts starts;
  starts.points.resize(static_cast<std::size_t>(o.chains));
  for (int c = 0; c < o.chains; ++c)
    starts.superchain.push_back(
        1 + static_cast<int>(static_cast<std::size_t>(c) % approximations.size()));
  pool.for_each_chain(o.chains, [&](int c) {
    const normal_approximation& a =
        approximations[static_cast<std::size_t>(c) % approximations.size()];
    random::philox rng(o.seed ^ 0x9E3779B97F4A7C15ull, static_cast<std::uint64_t>(c));
    Eigen::VectorXd z(d), best;
    double best_lp = -std::numeric_limits<double>::infinity();
    for (int attempt = 0; attempt < 100; ++attempt) {
      for (int i = 0; i < d; ++i)
        z[i] = start_scale * random::std_normal(rng);
      Eigen::VectorXd x =
          a.mode + a.lower.transpose().template triangularView<Eigen::Upper>().solve(z);
      const double lp = model.log_density(x, density_options{.jacobian = true, .propto = true});
      if (lp > best_lp || best.size() == 0) {
        best_lp = std::isnan(lp) ? best_lp : lp;
        best = std::move(x);
      }
      if (lp >= a.log_density - max_drop) break;
    }
    starts.points[static_cast<std::size_t>(c)] = std::move(best);
  });
  return starts;
}

} // namespace detail

} // namespace statix
