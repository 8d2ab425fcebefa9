#pragma once

#include <statix/base/runtime_linkage.hpp>

// Nested R-hat (Margossian, Hoffman, Sountsov, Riou-Durand, Vehtari & Gelman
// 2023, "Nested R-hat: assessing the convergence of Markov chain Monte Carlo
// when running many short chains"): for K superchains of M chains each that
// share their start, with N draws per chain,
//   B = 1/(K-1) sum_k (mean_k - mean)^2                  between superchains,
//   W = 1/K sum_k (1/(M-1) sum_m (mean_km - mean_k)^2     between a superchain's chains
//                  + 1/M sum_m var_km),                    within chains (1/(N-1)),
//   nR-hat = sqrt(1 + B / W),
// the first term of W taken as 0 when M = 1 and the second when N = 1. With
// many short chains it tells whether the chains forgot their starts, where
// R-hat asks each chain to have mixed on its own.

#include <Eigen/Dense>

#include <cmath>
#include <limits>
#include <map>
#include <vector>

namespace statix {

// `draws`: one column per chain; `superchain[c]`: chain c's superchain (any
// integers; superchains may differ in size, each is weighted equally). NaN
// with fewer than 2 superchains, non-finite draws or no variation.
STATIX_RUNTIME_INLINE double nested_rhat(const Eigen::MatrixXd& draws,
                                         const std::vector<int>& superchain);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE double nested_rhat(const Eigen::MatrixXd& draws,
                                         const std::vector<int>& superchain) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Eigen::Index n = draws.rows();
  if (n < 1 || static_cast<std::size_t>(draws.cols()) != superchain.size() || !draws.allFinite())
    return nan;
  std::map<int, std::vector<Eigen::Index>> groups;
  for (Eigen::Index c = 0; c < draws.cols(); ++c)
    groups[superchain[static_cast<std::size_t>(c)]].push_back(c);
  const auto k = static_cast<double>(groups.size());
  if (groups.size() < 2) return nan;
  const Eigen::RowVectorXd chain_mean = draws.colwise().mean();
  std::vector<double> super_mean;
  double within = 0;
  for (const auto& [id, chains] : groups) {
    const auto m = static_cast<double>(chains.size());
    double mean = 0;
    for (Eigen::Index c : chains)
      mean += chain_mean[c] / m;
    super_mean.push_back(mean);
    double between_chains = 0, within_chains = 0;
    for (Eigen::Index c : chains) {
      if (chains.size() > 1)
        between_chains += (chain_mean[c] - mean) * (chain_mean[c] - mean) / (m - 1);
      if (n > 1)
        within_chains += (draws.col(c).array() - chain_mean[c]).square().sum() /
                         (static_cast<double>(n) - 1) / m;
    }
    within += (between_chains + within_chains) / k;
  }
  double overall = 0;
  for (double mean : super_mean)
    overall += mean / k;
  double between = 0;
  for (double mean : super_mean)
    between += (mean - overall) * (mean - overall) / (k - 1);
  if (!(within > 0)) return nan;
  return std::sqrt(1 + between / within);
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
