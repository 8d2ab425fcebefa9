#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <statix/diagnostics/effective_sample_size.hpp>

#include <Eigen/Dense>

#include <cmath>

// Monte Carlo standard errors of posterior summaries of one scalar quantity,
// draws given as a matrix with one column per chain (rows = draws).

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE double sample_sd(const Eigen::MatrixXd& draws);

} // namespace detail

// MCSE of the posterior mean: sd / sqrt(ESS of the mean).
STATIX_RUNTIME_INLINE double mcse_mean(const Eigen::MatrixXd& draws);

// MCSE of the posterior standard deviation by the delta method, as ArviZ and
// posterior compute it: with d = (x - mean)^2, Var(s^2) ~ (E[d^2] - E[d]^2) / ESS
// and Var(s) ~ Var(s^2) / (4 E[d]). The ESS is that of the mean of d
// (ess_sd). A constant quantity has no defined error: NaN.
STATIX_RUNTIME_INLINE double mcse_sd(const Eigen::MatrixXd& draws);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE double sample_sd(const Eigen::MatrixXd& draws) {
  const double size = static_cast<double>(draws.size());
  return std::sqrt((draws.array() - draws.mean()).square().sum() / (size - 1.0));
}

} // namespace detail

STATIX_RUNTIME_INLINE double mcse_mean(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  return detail::sample_sd(draws) / std::sqrt(ess_mean(draws));
}

STATIX_RUNTIME_INLINE double mcse_sd(const Eigen::MatrixXd& draws) {
  if (detail::too_few_or_not_finite(draws)) return detail::not_a_number;
  const Eigen::ArrayXXd squared = (draws.array() - draws.mean()).square();
  const double expected_var = squared.mean();
  const double var_of_var = (squared.square().mean() - expected_var * expected_var) / ess_sd(draws);
  return std::sqrt(var_of_var / expected_var / 4.0);
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
