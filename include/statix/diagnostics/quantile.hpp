#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE std::vector<double> sorted_values(const Eigen::MatrixXd& values);

// Type 7 quantile (Hyndman & Fan 1996; R's default, numpy's "linear") of
// already sorted values.
STATIX_RUNTIME_INLINE double sorted_quantile(const std::vector<double>& sorted, double prob);

STATIX_RUNTIME_INLINE bool all_finite(const Eigen::MatrixXd& values);

} // namespace detail

// Type 7 quantile of every entry of `values` (all chains pooled), as R's
// quantile() and numpy's default; the quantile ArviZ and posterior use for the
// tail ESS. NaN for empty input or input with NaN.
STATIX_RUNTIME_INLINE double quantile(const Eigen::MatrixXd& values, double prob);

// Median of every entry of `values` (average of the two middle values for an
// even count).
STATIX_RUNTIME_INLINE double median(const Eigen::MatrixXd& values);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE std::vector<double> sorted_values(const Eigen::MatrixXd& values) {
  std::vector<double> sorted(values.data(), values.data() + values.size());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

STATIX_RUNTIME_INLINE double sorted_quantile(const std::vector<double>& sorted, double prob) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (static_cast<double>(sorted.size()) - 1.0) * prob;
  const auto lower = static_cast<std::size_t>(std::floor(h));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  return sorted[lower] + (h - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
}

STATIX_RUNTIME_INLINE bool all_finite(const Eigen::MatrixXd& values) {
  return values.array().isFinite().all();
}

} // namespace detail

STATIX_RUNTIME_INLINE double quantile(const Eigen::MatrixXd& values, double prob) {
  if (values.size() == 0 || values.hasNaN()) return std::numeric_limits<double>::quiet_NaN();
  return detail::sorted_quantile(detail::sorted_values(values), prob);
}

STATIX_RUNTIME_INLINE double median(const Eigen::MatrixXd& values) {
  return quantile(values, 0.5);
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
