// A Bayesian workflow on one model (Poisson regression of counts with an
// exposure offset): prior predictive check, NUTS, posterior predictive check,
// and PSIS-LOO against a model without the covariate.
#include <statix/infer/loo.hpp>
#include <statix/infer/predictive.hpp>
#include <statix/statix.hpp>

#include <iomanip>
#include <iostream>
#include <random>

namespace sx = statix;

int main() {
  // Simulated data: 60 sites, log rate = 0.5 + 0.8 x, exposure 1 to 5.
  const int n = 60;
  std::mt19937 rng(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(1.0, 5.0);
  Eigen::VectorXd x(n), log_exposure(n);
  std::vector<int> counts(n);
  for (int i = 0; i < n; ++i) {
    x[i] = normal(rng);
    log_exposure[i] = std::log(uniform(rng));
    std::poisson_distribution<int> poisson(std::exp(0.5 + 0.8 * x[i] + log_exposure[i]));
    counts[i] = poisson(rng);
  }

  auto alpha = sx::normal<"alpha">(0.0, 1.0);
  auto beta = sx::normal<"beta">(0.0, 0.5);
  auto model =
      sx::model(alpha, beta, sx::poisson_log<"y">(alpha + beta * x + log_exposure).observe(counts));

  // 1. Prior predictive check: do the priors allow counts like the data's?
  const auto prior = sx::sample_prior_predictive(model, 1000, 1);
  const Eigen::MatrixXd y_prior = prior.draws<"y">();
  double observed_mean = 0;
  for (int c : counts)
    observed_mean += c;
  observed_mean /= n;
  std::cout << std::fixed << std::setprecision(2);
  std::cout << "1. Prior predictive: mean count per draw, median " <<
      [&] {
        Eigen::VectorXd m = y_prior.rowwise().mean();
        std::sort(m.data(), m.data() + m.size());
        return m[m.size() / 2];
      }() << ", 95th percentile "
            <<
      [&] {
        Eigen::VectorXd m = y_prior.rowwise().mean();
        std::sort(m.data(), m.data() + m.size());
        return m[static_cast<Eigen::Index>(0.95 * m.size())];
      }() << "; the data's mean count is "
            << observed_mean << "\n\n";

  // 2. NUTS.
  auto fit = sx::sample(model, sx::nuts{.chains = 4, .seed = 1, .progress = 0});
  std::cout << "2. Posterior (4 chains x 1000 draws, " << fit.num_divergent() << " divergences):\n"
            << fit.summary() << "\n";

  // 3. Posterior predictive check: the share of draws whose replicated
  // variance exceeds the data's (near 0 or 1 would flag overdispersion).
  const auto ppc = sx::sample_posterior_predictive(model, fit, 2);
  const Eigen::MatrixXd y_rep = ppc.draws<"y">();
  Eigen::VectorXd y_obs(n);
  for (int i = 0; i < n; ++i)
    y_obs[i] = counts[i];
  const auto variance = [](const Eigen::VectorXd& v) {
    return (v.array() - v.mean()).square().sum() / (v.size() - 1.0);
  };
  int above = 0;
  for (Eigen::Index s = 0; s < y_rep.rows(); ++s)
    above += variance(y_rep.row(s).transpose()) > variance(y_obs);
  std::cout << "3. Posterior predictive: P(var(y_rep) > var(y)) = "
            << double(above) / double(y_rep.rows()) << "\n\n";

  // 4. PSIS-LOO, against the model without the covariate.
  const auto loo = sx::loo(model, fit);
  auto alpha0 = sx::normal<"alpha">(0.0, 1.0);
  auto intercept_only =
      sx::model(alpha0, sx::poisson_log<"y">(alpha0 + log_exposure).observe(counts));
  const auto fit0 = sx::sample(intercept_only, sx::nuts{.chains = 4, .seed = 1, .progress = 0});
  const auto loo0 = sx::loo(intercept_only, fit0);
  // The difference's standard error from the pointwise differences.
  const Eigen::VectorXd diff = loo.pointwise_elpd_loo - loo0.pointwise_elpd_loo;
  const double diff_se = std::sqrt(n * variance(diff));
  std::cout << "4. PSIS-LOO:\n"
            << "   with x:      elpd_loo " << loo.elpd_loo << " (se " << loo.se_elpd_loo
            << "), p_loo " << loo.p_loo << ", Pareto k > " << loo.k_threshold << ": "
            << loo.num_high_k() << " of " << n << "\n"
            << "   without x:   elpd_loo " << loo0.elpd_loo << " (se " << loo0.se_elpd_loo
            << "), p_loo " << loo0.p_loo << "\n"
            << "   difference:  " << diff.sum() << " (se " << diff_se << ")\n";
}
