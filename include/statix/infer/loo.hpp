#pragma once

#include <statix/base/runtime_linkage.hpp>

// Approximate leave-one-out cross-validation by Pareto-smoothed importance
// sampling (Vehtari, Gelman & Gabry 2017), as R's loo package computes it:
//
//   auto result = sx::loo(model, fit);     // every observed value is one point
//   result.elpd_loo, result.se_elpd_loo, result.p_loo, result.looic
//   result.pareto_k                         // one per observation
//
// or sx::loo(log_lik) from a draws x observations matrix. For observation i
// with log-likelihood draws l_s: the log ratios -l_s are smoothed by PSIS
// (tail length from r_eff, 1 as loo's default for a matrix), and with the
// normalised smoothed weights w_s, elpd_i = log sum_s w_s exp(l_s); lpd_i =
// log mean_s exp(l_s), p_i = lpd_i - elpd_i. Totals are sums, standard
// errors sqrt(N var_i) (sample variance), looic = -2 elpd_loo.

#include <statix/diagnostics/psis.hpp>
#include <statix/infer/predictive.hpp>

#include <Eigen/Core>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace statix {

struct loo_result {
  double elpd_loo = 0, se_elpd_loo = 0;
  double p_loo = 0, se_p_loo = 0;
  double looic = 0, se_looic = 0;
  Eigen::VectorXd pointwise_elpd_loo; // per observation
  Eigen::VectorXd pointwise_p_loo;
  Eigen::VectorXd pointwise_lpd;
  Eigen::VectorXd pareto_k;
  double k_threshold = 0.7; // min(1 - 1 / log10 S, 0.7): above it an estimate is unreliable
  // Observations whose Pareto k exceeds the threshold.
  int num_high_k() const { return static_cast<int>((pareto_k.array() > k_threshold).count()); }
};

namespace detail {
STATIX_RUNTIME_INLINE double log_sum_exp(const Eigen::VectorXd& v);
STATIX_RUNTIME_INLINE double total_se(const Eigen::VectorXd& v);
} // namespace detail

// From log-likelihood draws: rows draws, columns observations.
STATIX_RUNTIME_INLINE loo_result loo(const Eigen::MatrixXd& log_lik,
                                     double relative_efficiency = 1.0);

// Pointwise log densities of every observed value at each draw of a fit
// (draws x observations, observed variables in model order).
template <class Model, class Fit>
Eigen::MatrixXd log_likelihood(const Model& model, const Fit& fit) {
  const Eigen::MatrixXd points = detail::unconstrained_draws(model, fit);
  Eigen::MatrixXd log_lik(points.rows(), model.num_observed());
  std::vector<double> row(static_cast<std::size_t>(model.num_observed()));
  for (Eigen::Index s = 0; s < points.rows(); ++s) {
    int k = 0;
    model.visit_observed(points.row(s).transpose(), [&](const auto& v, eval_context<double>& ctx) {
      pointwise_log_density(v, ctx, row.data() + k);
      k += v.size();
    });
    for (std::size_t j = 0; j < row.size(); ++j)
      log_lik(s, static_cast<Eigen::Index>(j)) = row[j];
  }
  return log_lik;
}

template <class Model, class Fit>
loo_result loo(const Model& model, const Fit& fit, double relative_efficiency = 1.0) {
  return loo(log_likelihood(model, fit), relative_efficiency);
}

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE double log_sum_exp(const Eigen::VectorXd& v) {
  const double top = v.maxCoeff();
  if (!std::isfinite(top)) return top;
  return top + std::log((v.array() - top).exp().sum());
}

STATIX_RUNTIME_INLINE double total_se(const Eigen::VectorXd& v) {
  const double n = static_cast<double>(v.size());
  if (v.size() < 2) return 0.0;
  const double mean = v.mean();
  return std::sqrt(n * (v.array() - mean).square().sum() / (n - 1.0));
}

} // namespace detail

STATIX_RUNTIME_INLINE loo_result loo(const Eigen::MatrixXd& log_lik, double relative_efficiency) {
  const Eigen::Index s = log_lik.rows(), n = log_lik.cols();
  if (s < 2 || n < 1)
    throw std::invalid_argument("statix: loo: the log-likelihood matrix is " + std::to_string(s) +
                                " draws x " + std::to_string(n) +
                                " observations; it needs at least 2 draws and 1 observation");
  if (!(relative_efficiency > 0))
    throw std::invalid_argument("statix: loo: relative_efficiency must be positive");
  if (!log_lik.allFinite())
    throw std::invalid_argument("statix: loo: the log-likelihood matrix has a value that is not "
                                "finite");
  loo_result r;
  r.pointwise_elpd_loo.resize(n);
  r.pointwise_p_loo.resize(n);
  r.pointwise_lpd.resize(n);
  r.pareto_k.resize(n);
  r.k_threshold = pareto_k_threshold(s);
  const int tail = psis_tail_length(s, relative_efficiency);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::VectorXd l = log_lik.col(i);
    const psis_result smoothed = psis(-l, tail);
    const Eigen::VectorXd lw = smoothed.normalized_log_weights();
    const double elpd = detail::log_sum_exp(lw + l);
    const double lpd = detail::log_sum_exp(l) - std::log(static_cast<double>(s));
    r.pointwise_elpd_loo[i] = elpd;
    r.pointwise_lpd[i] = lpd;
    r.pointwise_p_loo[i] = lpd - elpd;
    r.pareto_k[i] = smoothed.pareto_k;
  }
  r.elpd_loo = r.pointwise_elpd_loo.sum();
  r.se_elpd_loo = detail::total_se(r.pointwise_elpd_loo);
  r.p_loo = r.pointwise_p_loo.sum();
  r.se_p_loo = detail::total_se(r.pointwise_p_loo);
  r.looic = -2.0 * r.elpd_loo;
  r.se_looic = 2.0 * r.se_elpd_loo;
  return r;
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
