#pragma once

#include <statix/base/runtime_linkage.hpp>

// Pareto smoothed importance sampling (Vehtari, Simpson, Gelman, Yao & Gabry
// 2024, "Pareto smoothed importance sampling", JMLR 25(72)), as R's loo
// package computes it (psis(), gpdfit(), psis_smooth_tail()):
//
//   sx::psis_result r = sx::psis(log_ratios);   // log p(x_s) - log q(x_s)
//   r.pareto_k;                                 // reliable when below r.k_threshold()
//   Eigen::VectorXd w = r.normalized_weights(); // sums to one
//
// The largest M = ceil(min(0.2 S, 3 sqrt(S))) of the S ratios are replaced by
// the expected order statistics of a generalized Pareto distribution fitted to
// them (Zhang & Stephens 2009, with loo's weakly informative prior on the
// shape), then every weight is truncated at the largest raw weight. The shape
// estimate k says how heavy the tail of the ratios is: the estimate is
// reliable for k < min(1 - 1 / log10(S), 0.7) (Vehtari et al. 2024, sec. 3).
// Pathfinder (infer/pathfinder.hpp) resamples with these weights; LOO will
// use them per observation.

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix {

// A generalized Pareto distribution with location 0:
// F(x) = 1 - (1 + k x / sigma)^(-1/k).
struct generalized_pareto_fit {
  double k = std::numeric_limits<double>::infinity();      // shape; > 0: heavy tail
  double sigma = std::numeric_limits<double>::quiet_NaN(); // scale
};

// The shape and scale of a generalized Pareto distribution from a sample of
// exceedances sorted in increasing order, by the empirical Bayes method of
// Zhang & Stephens (2009, sec. 4: the posterior mean of theta = -k / sigma
// over a grid of min_grid_points + floor(sqrt(n)) points, with their prior
// of 3 on the first quartile). With `weakly_informative_prior`, as loo's
// default, k is then pulled towards 0.5 by a prior worth 10 observations:
// (n k + 5) / (n + 10). A k that cannot be computed is +infinity.
STATIX_RUNTIME_INLINE generalized_pareto_fit
fit_generalized_pareto(const Eigen::VectorXd& sorted_sample, bool weakly_informative_prior = true,
                       int min_grid_points = 30);

// The p quantile of the generalized Pareto distribution with location 0.
STATIX_RUNTIME_INLINE double generalized_pareto_quantile(double p, double k, double sigma);

// The number of largest ratios that PSIS smooths (loo: r_eff = 1 for
// independent draws; MCMC draws pass their relative efficiency).
STATIX_RUNTIME_INLINE int psis_tail_length(Eigen::Index draws, double relative_efficiency = 1.0);

// The sample-size dependent threshold of Vehtari et al. (2024): below it the
// smoothed estimate is reliable.
STATIX_RUNTIME_INLINE double pareto_k_threshold(Eigen::Index draws);

struct psis_result {
  // Smoothed and truncated log weights on the scale of the log ratios given
  // (not normalised), as loo's weights(normalize = FALSE).
  Eigen::VectorXd log_weights;
  // Estimated shape of the tail; +infinity when the tail is too short (fewer
  // than 5 draws) or too flat to fit, as loo reports it.
  double pareto_k = std::numeric_limits<double>::infinity();
  int tail_length = 0; // how many of the largest weights were smoothed

  double k_threshold() const { return pareto_k_threshold(log_weights.size()); }
  bool reliable() const { return pareto_k < k_threshold(); }

  // Log weights that sum to one on the natural scale.
  Eigen::VectorXd normalized_log_weights() const {
    const double top = log_weights.maxCoeff();
    const double log_sum =
        top + std::log(log_weights.unaryExpr([top](double v) { return std::exp(v - top); }).sum());
    return (log_weights.array() - log_sum).matrix();
  }
  // (std::exp: Eigen's vectorised exp gives 5e-309, not 0, for -infinity.)
  Eigen::VectorXd normalized_weights() const {
    return normalized_log_weights().unaryExpr([](double v) { return std::exp(v); });
  }
};

// PSIS of one vector of log importance ratios log p(x_s) - log q(x_s). A NaN
// or -infinity ratio (a draw where the density could not be evaluated) gets
// weight zero; +infinity is an error. tail_length < 0: psis_tail_length(S).
STATIX_RUNTIME_INLINE psis_result psis(const Eigen::VectorXd& log_ratios, int tail_length = -1);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

STATIX_RUNTIME_INLINE generalized_pareto_fit fit_generalized_pareto(
    const Eigen::VectorXd& sorted_sample, bool weakly_informative_prior, int min_grid_points) {
  const Eigen::Index n = sorted_sample.size();
  if (n < 1) throw std::invalid_argument("statix: fit_generalized_pareto: the sample is empty");
  const Eigen::VectorXd& x = sorted_sample;
  const auto m = static_cast<Eigen::Index>(min_grid_points) +
                 static_cast<Eigen::Index>(std::floor(std::sqrt(static_cast<double>(n))));
  constexpr double prior = 3.0;
  const auto quartile_index = std::max<Eigen::Index>(
      0, static_cast<Eigen::Index>(std::floor(static_cast<double>(n) / 4.0 + 0.5)) - 1);
  const double first_quartile = x[quartile_index];
  const double largest = x[n - 1];

  Eigen::VectorXd theta(m), profile(m);
  for (Eigen::Index j = 0; j < m; ++j) {
    theta[j] = 1.0 / largest +
               (1.0 - std::sqrt(static_cast<double>(m) / (static_cast<double>(j + 1) - 0.5))) /
                   (prior * first_quartile);
    // Profile log likelihood of theta: n (log(-theta / k) - k - 1), with
    // k = mean log(1 - theta x).
    double k = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      k += std::log1p(-theta[j] * x[i]);
    k /= static_cast<double>(n);
    const double value = static_cast<double>(n) * (std::log(-theta[j] / k) - k - 1.0);
    profile[j] = std::isnan(value) ? -std::numeric_limits<double>::infinity() : value;
  }
  const double top = profile.maxCoeff();
  generalized_pareto_fit fit;
  if (!std::isfinite(top)) return fit;
  // std::exp, not Eigen's vectorised exp, which returns 5e-309 for -infinity.
  const Eigen::VectorXd weights = profile.unaryExpr([top](double v) { return std::exp(v - top); });
  const double theta_hat = weights.dot(theta) / weights.sum();
  double k = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    k += std::log1p(-theta_hat * x[i]);
  k /= static_cast<double>(n);
  fit.sigma = -k / theta_hat;
  if (weakly_informative_prior) {
    constexpr double a = 10.0; // prior observations at k = 0.5
    k = (k * static_cast<double>(n) + a * 0.5) / (static_cast<double>(n) + a);
  }
  fit.k = std::isnan(k) ? std::numeric_limits<double>::infinity() : k;
  return fit;
}

STATIX_RUNTIME_INLINE double generalized_pareto_quantile(double p, double k, double sigma) {
  if (k == 0.0) return -sigma * std::log1p(-p);
  return sigma * std::expm1(-k * std::log1p(-p)) / k;
}

STATIX_RUNTIME_INLINE int psis_tail_length(Eigen::Index draws, double relative_efficiency) {
  const double s = static_cast<double>(draws);
  return static_cast<int>(std::ceil(std::min(0.2 * s, 3.0 * std::sqrt(s / relative_efficiency))));
}

STATIX_RUNTIME_INLINE double pareto_k_threshold(Eigen::Index draws) {
  return std::min(1.0 - 1.0 / std::log10(static_cast<double>(draws)), 0.7);
}

STATIX_RUNTIME_INLINE psis_result psis(const Eigen::VectorXd& log_ratios, int tail_length) {
  const Eigen::Index s = log_ratios.size();
  if (s < 1) throw std::invalid_argument("statix: psis: no log ratios");
  constexpr double negative_infinity = -std::numeric_limits<double>::infinity();
  Eigen::VectorXd lw(s);
  double top = negative_infinity;
  for (Eigen::Index i = 0; i < s; ++i) {
    const double v = log_ratios[i];
    if (v == std::numeric_limits<double>::infinity())
      throw std::invalid_argument("statix: psis: log ratio " + std::to_string(i + 1) +
                                  " is +infinity");
    lw[i] = std::isnan(v) ? negative_infinity : v;
    top = std::max(top, lw[i]);
  }
  if (top == negative_infinity)
    throw std::invalid_argument("statix: psis: every log ratio is -infinity or NaN");
  lw.array() -= top; // the largest is 0: safe to exponentiate

  psis_result result;
  const int m = tail_length < 0 ? psis_tail_length(s) : tail_length;
  result.tail_length = 0;
  if (m >= 5 && m < s) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(s));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(),
              [&](Eigen::Index a, Eigen::Index b) { return lw[a] < lw[b]; });
    const auto first_tail = static_cast<std::size_t>(s - m);
    const double cutoff = lw[order[first_tail - 1]]; // largest value below the tail
    const double tail_min = lw[order[first_tail]];
    const double tail_max = lw[order.back()];
    if (std::fabs(tail_max - tail_min) >= std::numeric_limits<double>::epsilon() / 100) {
      const double exp_cutoff = std::exp(cutoff);
      Eigen::VectorXd exceedances(m);
      for (int i = 0; i < m; ++i)
        exceedances[i] = std::exp(lw[order[first_tail + static_cast<std::size_t>(i)]]) - exp_cutoff;
      const generalized_pareto_fit fit = fit_generalized_pareto(exceedances);
      result.pareto_k = fit.k;
      if (std::isfinite(fit.k)) {
        // The tail replaced by the expected order statistics of the fit.
        for (int i = 0; i < m; ++i) {
          const double p = (static_cast<double>(i + 1) - 0.5) / static_cast<double>(m);
          lw[order[first_tail + static_cast<std::size_t>(i)]] =
              std::log(generalized_pareto_quantile(p, fit.k, fit.sigma) + exp_cutoff);
        }
        result.tail_length = m;
      }
    }
  }
  // Truncated at the largest raw weight (0 after the shift), shifted back.
  result.log_weights = (lw.array().min(0.0) + top).matrix();
  return result;
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
