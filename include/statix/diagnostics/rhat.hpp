#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <statix/diagnostics/effective_sample_size.hpp>
#include <statix/diagnostics/rank_normalization.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

// Potential scale reduction factors of one scalar quantity, draws given as a
// matrix with one column per chain (rows = draws).

namespace statix {

// Classic R-hat of the chains as given (Gelman et al., BDA3, eq. 11.4):
// sqrt(((n-1)/n W + B/n) / W). NaN when it is undefined: fewer than 2 chains
// or 2 draws, non-finite draws, or no variation within the chains.
STATIX_RUNTIME_INLINE double rhat_basic(const Eigen::MatrixXd& chains);

// Bulk R-hat: R-hat of the rank-normalised split chains (Vehtari et al. 2021,
// section 4.1); it sees chains that disagree in location.
STATIX_RUNTIME_INLINE double rhat_bulk(const Eigen::MatrixXd& draws);

// Tail R-hat: R-hat of the rank-normalised split chains of the folded draws
// |x - median| (Vehtari et al. 2021, section 4.2); it sees chains that
// disagree in scale.
STATIX_RUNTIME_INLINE double rhat_tail(const Eigen::MatrixXd& draws);

// Rank-normalised split R-hat (Vehtari et al. 2021, section 4.3): the larger of
// the bulk and the tail R-hat. A single chain is split in two, so one chain
// gets an R-hat too (as posterior computes it; ArviZ returns NaN there).
STATIX_RUNTIME_INLINE double rhat(const Eigen::MatrixXd& draws);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE double rhat_basic(const Eigen::MatrixXd& chains) {
  const Eigen::Index n = chains.rows();
  const Eigen::Index m = chains.cols();
  if (n < 2 || m < 2 || !detail::all_finite(chains)) return detail::not_a_number;
  const double nd = static_cast<double>(n);
  const Eigen::VectorXd chain_mean = chains.colwise().mean().transpose();
  double within = 0.0;
  for (Eigen::Index c = 0; c < m; ++c)
    within += (chains.col(c).array() - chain_mean(c)).square().sum() / (nd - 1.0);
  within /= static_cast<double>(m);
  if (!(within > 0.0)) return detail::not_a_number;
  const double between =
      nd * (chain_mean.array() - chain_mean.mean()).square().sum() / static_cast<double>(m - 1);
  return std::sqrt((between / within + nd - 1.0) / nd);
}

STATIX_RUNTIME_INLINE double rhat_bulk(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  return rhat_basic(rank_normalize(split_chains(draws)));
}

STATIX_RUNTIME_INLINE double rhat_tail(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  return rhat_basic(rank_normalize(split_chains(fold(draws))));
}

STATIX_RUNTIME_INLINE double rhat(const Eigen::MatrixXd& draws) {
  const double bulk = rhat_bulk(draws);
  const double tail = rhat_tail(draws);
  if (std::isnan(bulk) || std::isnan(tail)) return detail::not_a_number;
  return std::max(bulk, tail);
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
