#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <statix/diagnostics/quantile.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace statix {

// Split every chain (a column) into its first and second half, doubling the
// number of chains, so that a trend within a chain shows up as disagreement
// between chains (Vehtari et al. 2021, section 4.1). The middle draw of an
// odd-length chain is dropped, as ArviZ and posterior do.
STATIX_RUNTIME_INLINE Eigen::MatrixXd split_chains(const Eigen::MatrixXd& draws);

// Ranks 1..S of all S entries pooled, ties given the average of the ranks they
// span (the "average" method of R's rank and scipy's rankdata).
STATIX_RUNTIME_INLINE Eigen::MatrixXd average_ranks(const Eigen::MatrixXd& values);

// Standard normal quantile, written through erfc^{-1} so that it stays
// accurate in both tails: Phi^{-1}(p) = -sqrt(2) erfc^{-1}(2p).
// The standard normal quantile: Acklam's rational approximation (relative
// error below 1.2e-9) refined by one Halley step on the normal cdf, which
// brings it to double precision at a fraction of the cost of an inverse erfc
// (rank normalisation evaluates it once per draw and quantity).
STATIX_RUNTIME_INLINE double normal_quantile(double p);

STATIX_RUNTIME_INLINE Eigen::MatrixXd rank_normalize(const Eigen::MatrixXd& values);

// Folding (Vehtari et al. 2021, section 4.2): |x - median(x)|, median over all
// chains pooled, so that the R-hat of the folded draws sees differences in
// scale between chains.
STATIX_RUNTIME_INLINE Eigen::MatrixXd fold(const Eigen::MatrixXd& values);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE Eigen::MatrixXd split_chains(const Eigen::MatrixXd& draws) {
  const Eigen::Index half = draws.rows() / 2;
  Eigen::MatrixXd split(half, 2 * draws.cols());
  for (Eigen::Index c = 0; c < draws.cols(); ++c) {
    split.col(2 * c) = draws.col(c).head(half);
    split.col(2 * c + 1) = draws.col(c).tail(half);
  }
  return split;
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd average_ranks(const Eigen::MatrixXd& values) {
  const Eigen::Index size = values.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(size));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  const double* data = values.data();
  std::stable_sort(order.begin(), order.end(),
                   [data](Eigen::Index a, Eigen::Index b) { return data[a] < data[b]; });
  Eigen::MatrixXd ranks(values.rows(), values.cols());
  double* out = ranks.data();
  std::size_t i = 0;
  while (i < order.size()) {
    std::size_t j = i + 1;
    while (j < order.size() && data[order[j]] == data[order[i]])
      ++j;
    // Entries i..j-1 (0-based) are tied: ranks i+1..j, average (i+1+j)/2.
    const double rank = 0.5 * static_cast<double>(i + 1 + j);
    for (std::size_t k = i; k < j; ++k)
      out[order[k]] = rank;
    i = j;
  }
  return ranks;
}

STATIX_RUNTIME_INLINE double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0))
    return p == 0.0 ? -INFINITY : (p == 1.0 ? INFINITY : std::numeric_limits<double>::quiet_NaN());
  // Upper half by symmetry: 1 - p is exact there, and the lower tail keeps
  // the refinement step free of cancellation.
  if (p > 0.5) return -normal_quantile(1.0 - p);
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - p_low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  // Halley's step on Phi(x) - p, with Phi from erfc (accurate in both tails).
  constexpr double sqrt_two_pi = 2.5066282746310005024;
  const double error = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = error * sqrt_two_pi * std::exp(0.5 * x * x);
  return x - u / (1.0 + 0.5 * x * u);
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd rank_normalize(const Eigen::MatrixXd& values) {
  Eigen::MatrixXd z = average_ranks(values);
  const double denominator = static_cast<double>(values.size()) + 0.25;
  for (Eigen::Index i = 0; i < z.size(); ++i)
    z.data()[i] = normal_quantile((z.data()[i] - 0.375) / denominator);
  return z;
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd fold(const Eigen::MatrixXd& values) {
  const double m = median(values);
  return (values.array() - m).abs().matrix();
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
