#pragma once

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace statix {

namespace detail {

inline std::vector<double> sorted_values(const Eigen::MatrixXd& values) {
  std::vector<double> sorted(values.data(), values.data() + values.size());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// Type 7 quantile (Hyndman & Fan 1996; R's default, numpy's "linear") of
// already sorted values.
inline double sorted_quantile(const std::vector<double>& sorted, double prob) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = (static_cast<double>(sorted.size()) - 1.0) * prob;
  const auto lower = static_cast<std::size_t>(std::floor(h));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  return sorted[lower] + (h - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
}

inline bool all_finite(const Eigen::MatrixXd& values) {
  return values.array().isFinite().all();
}

} // namespace detail

// Type 7 quantile of every entry of `values` (all chains pooled), as R's
// quantile() and numpy's default; the quantile ArviZ and posterior use for the
// tail ESS. NaN for empty input or input with NaN.
inline double quantile(const Eigen::MatrixXd& values, double prob) {
  if (values.size() == 0 || values.hasNaN()) return std::numeric_limits<double>::quiet_NaN();
  return detail::sorted_quantile(detail::sorted_values(values), prob);
}

// Median of every entry of `values` (average of the two middle values for an
// even count).
inline double median(const Eigen::MatrixXd& values) {
  return quantile(values, 0.5);
}

} // namespace statix
