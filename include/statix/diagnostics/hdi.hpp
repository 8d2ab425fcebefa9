#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <statix/diagnostics/quantile.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix {

// A closed interval [lower, upper].
struct interval {
  double lower;
  double upper;
};

// Highest density interval: the shortest interval holding a fraction `prob` of
// the draws (all chains pooled), as ArviZ's hdi computes it: sort the S draws,
// let k = floor(prob * S), and take the narrowest [x_(i), x_(i+k)] (the first
// one on ties). NaN bounds for empty input or input with NaN.
STATIX_RUNTIME_INLINE interval hdi(const Eigen::MatrixXd& draws, double prob = 0.94);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE interval hdi(const Eigen::MatrixXd& draws, double prob) {
  if (!(prob > 0.0 && prob < 1.0))
    throw std::invalid_argument("statix: hdi probability must lie in (0, 1), got " +
                                std::to_string(prob));
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (draws.size() == 0 || draws.hasNaN()) return {nan, nan};
  const std::vector<double> sorted = detail::sorted_values(draws);
  const auto size = sorted.size();
  const auto width = static_cast<std::size_t>(std::floor(prob * static_cast<double>(size)));
  const std::size_t candidates = size - width;
  std::size_t best = 0;
  double best_width = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < candidates; ++i) {
    const double w = sorted[i + width] - sorted[i];
    if (w < best_width) {
      best_width = w;
      best = i;
    }
  }
  return {sorted[best], sorted[best + width]};
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
