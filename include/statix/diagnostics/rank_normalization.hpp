#pragma once

#include <statix/diagnostics/quantile.hpp>

#include <Eigen/Dense>
#include <boost/math/special_functions/erf.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace statix {

// Split every chain (a column) into its first and second half, doubling the
// number of chains, so that a trend within a chain shows up as disagreement
// between chains (Vehtari et al. 2021, section 4.1). The middle draw of an
// odd-length chain is dropped, as ArviZ and posterior do.
inline Eigen::MatrixXd split_chains(const Eigen::MatrixXd& draws) {
  const Eigen::Index half = draws.rows() / 2;
  Eigen::MatrixXd split(half, 2 * draws.cols());
  for (Eigen::Index c = 0; c < draws.cols(); ++c) {
    split.col(2 * c) = draws.col(c).head(half);
    split.col(2 * c + 1) = draws.col(c).tail(half);
  }
  return split;
}

// Ranks 1..S of all S entries pooled, ties given the average of the ranks they
// span (the "average" method of R's rank and scipy's rankdata).
inline Eigen::MatrixXd average_ranks(const Eigen::MatrixXd& values) {
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

// Standard normal quantile, written through erfc^{-1} so that it stays
// accurate in both tails: Phi^{-1}(p) = -sqrt(2) erfc^{-1}(2p).
inline double normal_quantile(double p) {
  return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p);
}

// Rank normalisation (Vehtari et al. 2021, eq. 14): pooled average ranks r of
// the S entries mapped through Phi^{-1}((r - 3/8) / (S + 1/4)), Blom's (1958)
// fractional offset, as ArviZ and posterior compute it.
inline Eigen::MatrixXd rank_normalize(const Eigen::MatrixXd& values) {
  Eigen::MatrixXd z = average_ranks(values);
  const double denominator = static_cast<double>(values.size()) + 0.25;
  for (Eigen::Index i = 0; i < z.size(); ++i)
    z.data()[i] = normal_quantile((z.data()[i] - 0.375) / denominator);
  return z;
}

// Folding (Vehtari et al. 2021, section 4.2): |x - median(x)|, median over all
// chains pooled, so that the R-hat of the folded draws sees differences in
// scale between chains.
inline Eigen::MatrixXd fold(const Eigen::MatrixXd& values) {
  const double m = median(values);
  return (values.array() - m).abs().matrix();
}

} // namespace statix
