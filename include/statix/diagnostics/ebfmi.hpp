#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <Eigen/Dense>

#include <limits>

namespace statix {

// Energy Bayesian fraction of missing information of one chain (Betancourt
// 2016, "Diagnosing suboptimal cotangent disintegrations in Hamiltonian Monte
// Carlo"): sum_n (E_n - E_{n-1})^2 / sum_n (E_n - mean E)^2 over the
// energy__ column. Values below 0.3 mean the momentum resampling explores the
// energy levels too slowly. NaN with fewer than 2 draws or constant energy.
STATIX_RUNTIME_INLINE double ebfmi(const Eigen::Ref<const Eigen::VectorXd>& energy);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE double ebfmi(const Eigen::Ref<const Eigen::VectorXd>& energy) {
  const Eigen::Index n = energy.size();
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const double numerator = (energy.tail(n - 1) - energy.head(n - 1)).squaredNorm();
  const double denominator = (energy.array() - energy.mean()).square().sum();
  if (!(denominator > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return numerator / denominator;
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
