#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <statix/diagnostics/autocovariance.hpp>
#include <statix/diagnostics/quantile.hpp>
#include <statix/diagnostics/rank_normalization.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>

// Effective sample sizes of one scalar quantity. Every function takes the draws
// as a matrix with one column per chain (rows = draws) and follows Vehtari,
// Gelman, Simpson, Carpenter & Buerkner (2021), "Rank-normalization, folding,
// and localization: An improved R-hat for assessing convergence of MCMC",
// as ArviZ and the posterior R package implement it. Non-finite draws or fewer
// than 4 draws per chain give NaN.

namespace statix {

namespace detail {

inline constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

STATIX_RUNTIME_INLINE bool too_few_or_not_finite(const Eigen::MatrixXd& draws);

} // namespace detail

// ESS of the mean of the given chains as they are (no splitting, no rank
// normalisation): multi-chain autocorrelation estimate (Vehtari et al. 2021,
// eq. 10) summed with Geyer's (1992) initial positive sequence, made monotone,
// truncated at the first negative pair of lags, plus the improved "antithetic"
// term and the 1/log10(S) floor on the autocorrelation time, exactly as
// ArviZ's _ess and posterior's .ess. A constant quantity gets ESS = S.
STATIX_RUNTIME_INLINE double ess_basic(const Eigen::MatrixXd& chains);

// Bulk-ESS: ESS of the rank-normalised split chains (Vehtari et al. 2021,
// section 4.3); meaningful for the centre of any distribution, heavy tails
// included.
STATIX_RUNTIME_INLINE double ess_bulk(const Eigen::MatrixXd& draws);

// ESS of the estimate of the `prob` quantile: ESS of the split indicator
// I(x <= q_prob) (Vehtari et al. 2021, section 4.3).
STATIX_RUNTIME_INLINE double ess_quantile(const Eigen::MatrixXd& draws, double prob);

// Tail-ESS: the smaller of the ESS of the 5% and the 95% quantile.
STATIX_RUNTIME_INLINE double ess_tail(const Eigen::MatrixXd& draws);

// ESS of the mean: ESS of the split chains without rank normalisation; the one
// that sets the Monte Carlo error of the posterior mean.
STATIX_RUNTIME_INLINE double ess_mean(const Eigen::MatrixXd& draws);

// ESS of the standard deviation: ESS of the mean of the squared deviations
// (x - mean)^2 over split chains, as ArviZ computes it.
STATIX_RUNTIME_INLINE double ess_sd(const Eigen::MatrixXd& draws);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE bool too_few_or_not_finite(const Eigen::MatrixXd& draws) {
  return draws.rows() < 4 || draws.cols() < 1 || !all_finite(draws);
}

} // namespace detail

STATIX_RUNTIME_INLINE double ess_basic(const Eigen::MatrixXd& chains) {
  const Eigen::Index n = chains.rows();
  const Eigen::Index m = chains.cols();
  if (n < 2 || m < 1 || !detail::all_finite(chains)) return detail::not_a_number;
  const double total = static_cast<double>(n * m);
  if (chains.maxCoeff() - chains.minCoeff() < 1e-15) // numpy's float64 resolution
    return total;

  Eigen::MatrixXd acov(n, m);
  for (Eigen::Index c = 0; c < m; ++c)
    acov.col(c) = autocovariance(chains.col(c));
  const Eigen::VectorXd mean_acov = acov.rowwise().mean();
  const double nd = static_cast<double>(n);
  const double mean_var = mean_acov(0) * nd / (nd - 1.0); // mean within-chain variance W
  double var_plus = mean_var * (nd - 1.0) / nd;           // var+ = (n-1)/n W + B/n
  if (m > 1) {
    const Eigen::VectorXd chain_mean = chains.colwise().mean().transpose();
    var_plus +=
        (chain_mean.array() - chain_mean.mean()).square().sum() / static_cast<double>(m - 1);
  }
  auto rho_at = [&](Eigen::Index t) { return 1.0 - (mean_var - mean_acov(t)) / var_plus; };

  Eigen::VectorXd rho = Eigen::VectorXd::Zero(n);
  double rho_even = 1.0;
  double rho_odd = rho_at(1);
  rho(0) = rho_even;
  rho(1) = rho_odd;

  // Geyer's initial positive sequence: sums of adjacent pairs stay positive.
  Eigen::Index t = 1;
  while (t < n - 3 && rho_even + rho_odd > 0.0) {
    rho_even = rho_at(t + 1);
    rho_odd = rho_at(t + 2);
    if (rho_even + rho_odd >= 0.0) {
      rho(t + 1) = rho_even;
      rho(t + 2) = rho_odd;
    }
    t += 2;
  }
  const Eigen::Index max_t = t - 2;
  if (rho_even > 0.0) // used by the improved estimate below
    rho(max_t + 1) = rho_even;

  // Geyer's initial monotone sequence: pair sums never increase.
  t = 1;
  while (t <= max_t - 2) {
    if (rho(t + 1) + rho(t + 2) > rho(t - 1) + rho(t)) {
      rho(t + 1) = 0.5 * (rho(t - 1) + rho(t));
      rho(t + 2) = rho(t + 1);
    }
    t += 2;
  }
  if (rho.hasNaN()) return detail::not_a_number;

  double tau = -1.0 + 2.0 * rho.head(max_t + 1).sum() + rho(max_t + 1);
  tau = std::max(tau, 1.0 / std::log10(total));
  return total / tau;
}

STATIX_RUNTIME_INLINE double ess_bulk(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  return ess_basic(rank_normalize(split_chains(draws)));
}

STATIX_RUNTIME_INLINE double ess_quantile(const Eigen::MatrixXd& draws, double prob) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  const double q = quantile(draws, prob);
  const Eigen::MatrixXd indicator = (draws.array() <= q).cast<double>().matrix();
  return ess_basic(split_chains(indicator));
}

STATIX_RUNTIME_INLINE double ess_tail(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  return std::min(ess_quantile(draws, 0.05), ess_quantile(draws, 0.95));
}

STATIX_RUNTIME_INLINE double ess_mean(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  return ess_basic(split_chains(draws));
}

STATIX_RUNTIME_INLINE double ess_sd(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  const Eigen::MatrixXd squared = (draws.array() - draws.mean()).square().matrix();
  return ess_basic(split_chains(squared));
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
