// Structured models against known posteriors:
// - posteriordb's gp_pois_regr (a latent Gaussian process through
//   cholesky_decompose(add_diag(gp_exp_quad_cov(...))) * f_tilde) against its
//   reference summary, with the checks of posteriordb_test.cpp: every mean
//   within 4 combined Monte Carlo standard errors, every sd within 20%, R-hat
//   below 1.01;
// - a correlated varying-intercept, varying-slope regression (LKJ prior on the
//   Cholesky factor of the group effects' correlation, non-centred group
//   effects diag_pre_multiply(tau, L) * z) on data simulated here with a known
//   correlation: the posterior of the correlation recovers it;
// - LKJ + multi_normal_cholesky observed by rows (simulated, known
//   correlation matrix): every correlation recovered.
#include "posteriordb_models.hpp"
#include "stan_json.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace sx = statix;
using statix_test::gp_pois_regr_model;
using statix_test::read_reference_csv;
using statix_test::reference_row;
using statix_test::stan_data;

namespace {

const std::filesystem::path structured_data_dir = STATIX_SOURCE_DIR "/tests/posteriordb/data";

// The fixed seeds, overridable to run the checks over many seeds:
// STATIX_STRUCTURED_SEED (the sampler's), STATIX_STRUCTURED_DATA_SEED (the
// simulated data's).
std::uint64_t seed_or(const char* variable, std::uint64_t fixed) {
  if (const char* s = std::getenv(variable))
    return static_cast<std::uint64_t>(std::strtoull(s, nullptr, 10));
  return fixed;
}
std::uint64_t sampler_seed() {
  return seed_or("STATIX_STRUCTURED_SEED", 1);
}

struct stopwatch {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

// Draws of entry (i, j) of L L^T for each draw of a K x K Cholesky factor L
// (rows of `l`: the factor column-major), chains in order.
Eigen::VectorXd correlation_draws(const Eigen::MatrixXd& l, int K, int i, int j) {
  Eigen::VectorXd out(l.rows());
  for (Eigen::Index d = 0; d < l.rows(); ++d) {
    double s = 0;
    for (int k = 0; k < K; ++k)
      s += l(d, k * K + i) * l(d, k * K + j);
    out[d] = s;
  }
  return out;
}

Eigen::MatrixXd split_by_chain(const Eigen::VectorXd& all, int chains) {
  const Eigen::Index n = all.size() / chains;
  REQUIRE(n * chains == all.size());
  return Eigen::Map<const Eigen::MatrixXd>(all.data(), n, chains);
}

// Summary of a derived quantity's draws (chains concatenated in order).
struct quantity_summary {
  double mean, sd, q025, q975, r_hat, ess_bulk;
};

quantity_summary summarize_draws(const Eigen::VectorXd& all, int chains) {
  const Eigen::MatrixXd by_chain = split_by_chain(all, chains);
  const double mean = all.mean();
  const double sd = std::sqrt((all.array() - mean).square().sum() / (all.size() - 1.0));
  std::vector<Eigen::VectorXd> chain_draws;
  for (int c = 0; c < chains; ++c)
    chain_draws.emplace_back(by_chain.col(c));
  const sx::summary_row row = sx::summarize_quantity("q", chain_draws);
  return {mean,      sd,          sx::quantile(by_chain, 0.025), sx::quantile(by_chain, 0.975),
          row.r_hat, row.ess_bulk};
}

} // namespace

// gp_pois_regr (a latent GP; the model in posteriordb_models.hpp).
// Reported: rho, alpha, f. posteriordb's reference ran Stan with adapt_delta
// 0.99; here target_accept 0.95, 4 chains x 1000 warm-up x 1000 draws, seed 1.
TEST_CASE("posteriordb gp_pois_regr: a latent GP through cholesky_decompose * f_tilde",
          "[posteriordb]") {
  const std::string posterior = "gp_pois_regr-gp_pois_regr";
  const auto model = gp_pois_regr_model();

  stopwatch timer;
  const auto fit = sx::sample(model, sx::nuts{.chains = 4,
                                              .warmup = 1000,
                                              .draws = 1000,
                                              .seed = sampler_seed(),
                                              .target_accept = 0.95,
                                              .progress = 0});
  const double seconds = timer.seconds();
  const auto summary = fit.summary();

  std::ostringstream table;
  char line[256];
  std::snprintf(line, sizeof line, "%s: 4 x 1000 draws in %.2f s, %lld divergent\n",
                posterior.c_str(), seconds, fit.num_divergent());
  table << line;
  std::snprintf(line, sizeof line, "  %-8s %10s %10s %7s %9s %9s %8s %7s %8s\n", "name", "mean",
                "ref mean", "z", "sd", "ref sd", "sd ratio", "r_hat", "ess_bulk");
  table << line;
  double worst_z = 0, worst_sd_ratio = 1, worst_r_hat = 0;
  const std::vector<reference_row> reference =
      read_reference_csv(structured_data_dir / posterior / "reference.csv");
  REQUIRE(reference.size() == 13u);
  for (const reference_row& ref : reference) {
    const sx::summary_row* row = summary.find(ref.name);
    INFO("the fit has no summary row " << ref.name);
    REQUIRE(row != nullptr);
    const double z = (row->mean - ref.mean) /
                     std::sqrt(row->mcse_mean * row->mcse_mean + ref.mcse_mean * ref.mcse_mean);
    const double sd_ratio = row->sd / ref.sd;
    std::snprintf(line, sizeof line, "  %-8s %10.4f %10.4f %7.2f %9.4f %9.4f %8.3f %7.4f %8.0f\n",
                  ref.name.c_str(), row->mean, ref.mean, z, row->sd, ref.sd, sd_ratio, row->r_hat,
                  row->ess_bulk);
    table << line;
    if (std::abs(z) > std::abs(worst_z)) worst_z = z;
    if (std::abs(sd_ratio - 1) > std::abs(worst_sd_ratio - 1)) worst_sd_ratio = sd_ratio;
    worst_r_hat = std::max(worst_r_hat, row->r_hat);
    INFO(ref.name << ": mean " << row->mean << " (reference " << ref.mean << ", z = " << z
                  << "), sd " << row->sd << " (reference " << ref.sd << "), r_hat " << row->r_hat);
    CHECK(std::abs(z) < 4.0);
    CHECK(std::abs(sd_ratio - 1.0) < 0.2);
    CHECK(row->r_hat < 1.01);
  }
  std::snprintf(line, sizeof line, "  worst z %.2f, worst sd ratio %.3f, largest r_hat %.4f\n",
                worst_z, worst_sd_ratio, worst_r_hat);
  table << line;
  std::cout << table.str() << std::flush;
}

// Varying intercepts and slopes with correlated group effects, on data
// simulated here (std::mt19937_64, seed 20240611): J = 30 groups of n = 20,
//   (a_j, b_j) ~ N((1, -0.5), diag(tau) Omega diag(tau)), tau = (1, 0.5),
//   Omega(1, 0) = 0.6; x ~ N(0, 1); y = a_j + b_j x + N(0, 0.8^2).
// Model: mu ~ normal(0, 5) (2); tau ~ half_normal(2) (2);
//   L ~ lkj_corr_cholesky(2) (2 x 2); z ~ normal(0, 1) (2 x J);
//   beta = diag_pre_multiply(tau, L) * z (2 x J); sigma ~ half_normal(2);
//   y ~ normal(mu[0] + beta[0, group] + (mu[1] + beta[1, group]) .* x, sigma).
// The correlation's posterior, (L L^T)(1, 0): its 95% central interval covers
// 0.6 and its mean is within 0.25 of it (30 groups leave a posterior sd of
// about 0.15, and LKJ(2) pulls towards 0).
TEST_CASE("correlated varying slopes: lkj_corr_cholesky recovers the correlation of the group "
          "effects",
          "[posteriordb]") {
  constexpr int J = 30, n_per_group = 20, N = J * n_per_group;
  const double true_rho = 0.6, tau0 = 1.0, tau1 = 0.5, sigma_y = 0.8;
  std::mt19937_64 rng(seed_or("STATIX_STRUCTURED_DATA_SEED", 20240611));
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> a(J), b(J);
  for (int j = 0; j < J; ++j) {
    const double u = normal(rng), v = normal(rng);
    a[j] = 1.0 + tau0 * u;
    b[j] = -0.5 + tau1 * (true_rho * u + std::sqrt(1 - true_rho * true_rho) * v);
  }
  // The correlation of the 30 simulated effects themselves (the data's own
  // value, which scatters around 0.6 with sd about 0.12).
  double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
  for (int j = 0; j < J; ++j) {
    ma += a[j] / J;
    mb += b[j] / J;
  }
  for (int j = 0; j < J; ++j) {
    saa += (a[j] - ma) * (a[j] - ma);
    sbb += (b[j] - mb) * (b[j] - mb);
    sab += (a[j] - ma) * (b[j] - mb);
  }
  const double sample_rho = sab / std::sqrt(saa * sbb);
  std::vector<int> group(N);
  Eigen::VectorXd xs(N), ys(N);
  for (int i = 0; i < N; ++i) {
    group[i] = i / n_per_group;
    xs[i] = normal(rng);
    ys[i] = a[group[i]] + b[group[i]] * xs[i] + sigma_y * normal(rng);
  }

  auto mu = sx::normal<"mu">(0.0, 5.0, sx::size(2));
  auto tau = sx::half_normal<"tau">(2.0, sx::size(2));
  auto L = sx::lkj_corr_cholesky<"L">(2.0, sx::size(2));
  auto z = sx::normal<"z">(0.0, 1.0, sx::size(2, J));
  auto beta = sx::deterministic<"beta">(sx::diag_pre_multiply(tau, L) * z);
  auto sigma = sx::half_normal<"sigma">(2.0);
  auto y = sx::normal<"y">(mu[0] + sx::row(beta, 0)[group] + (mu[1] + sx::row(beta, 1)[group]) * xs,
                           sigma)
               .observe(ys);
  auto model = sx::model(mu, tau, L, z, beta, sigma, y);
  CHECK(model.dim() == 2 + 2 + 1 + 2 * J + 1);

  stopwatch timer;
  const auto fit = sx::sample(
      model,
      sx::nuts{.chains = 4, .warmup = 1000, .draws = 1000, .seed = sampler_seed(), .progress = 0});
  const double seconds = timer.seconds();
  const quantity_summary r = summarize_draws(correlation_draws(fit.draws<"L">(), 2, 1, 0), 4);
  const Eigen::MatrixXd tau_draws = fit.draws<"tau">();
  const Eigen::VectorXd sigma_draws = fit.draws<"sigma">();
  char line[320];
  std::snprintf(line, sizeof line,
                "varying slopes (J = %d, n = %d): %.2f s, %lld divergent; correlation: mean %.3f, "
                "sd %.3f, 95%% interval (%.3f, %.3f), r_hat %.4f, ess_bulk %.0f (true %.2f, "
                "of the simulated effects %.3f); tau (%.3f, %.3f), sigma %.3f\n",
                J, n_per_group, seconds, fit.num_divergent(), r.mean, r.sd, r.q025, r.q975, r.r_hat,
                r.ess_bulk, true_rho, sample_rho, tau_draws.col(0).mean(), tau_draws.col(1).mean(),
                sigma_draws.mean());
  std::cout << line << std::flush;
  INFO(line);
  CHECK(r.q025 < true_rho);
  CHECK(true_rho < r.q975);
  CHECK(std::abs(r.mean - true_rho) < 0.25);
  CHECK(r.r_hat < 1.01);
  CHECK(fit.num_divergent() == 0);
}

// LKJ + multi_normal_cholesky observed by rows: N = 500 rows of K = 3 drawn
// (std::mt19937_64, seed 7) from N(m, diag(s) Omega diag(s)) with
// m = (0.5, -1, 2), s = (1, 2, 0.5), Omega(1,0) = 0.6, Omega(2,0) = -0.3,
// Omega(2,1) = 0.2. Model: mu ~ normal(0, 5) (3); tau ~ half_normal(2.5) (3);
// L ~ lkj_corr_cholesky(2) (3 x 3); Y[n] ~ multi_normal_cholesky(mu,
// diag_pre_multiply(tau, L)). Every correlation's posterior mean is within 3
// posterior sds of the truth (posterior sds about 0.03-0.045), R-hat < 1.01.
TEST_CASE("lkj_corr_cholesky + multi_normal_cholesky by rows recovers a correlation matrix",
          "[posteriordb]") {
  constexpr int K = 3, N = 500;
  Eigen::Matrix3d omega;
  omega << 1.0, 0.6, -0.3, 0.6, 1.0, 0.2, -0.3, 0.2, 1.0;
  const Eigen::Vector3d m(0.5, -1.0, 2.0), s(1.0, 2.0, 0.5);
  const Eigen::Matrix3d chol =
      Eigen::Matrix3d(s.asDiagonal() * omega * s.asDiagonal()).llt().matrixL();
  std::mt19937_64 rng(seed_or("STATIX_STRUCTURED_DATA_SEED", 7));
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::MatrixXd Y(N, K);
  for (int i = 0; i < N; ++i) {
    Eigen::Vector3d e;
    for (int k = 0; k < K; ++k)
      e[k] = normal(rng);
    Y.row(i) = (m + chol * e).transpose();
  }

  auto mu = sx::normal<"mu">(0.0, 5.0, sx::size(K));
  auto tau = sx::half_normal<"tau">(2.5, sx::size(K));
  auto L = sx::lkj_corr_cholesky<"L">(2.0, sx::size(K));
  auto y = sx::multi_normal_cholesky<"y">(mu, sx::diag_pre_multiply(tau, L)).observe(Y);
  auto model = sx::model(mu, tau, L, y);

  stopwatch timer;
  const auto fit = sx::sample(
      model,
      sx::nuts{.chains = 4, .warmup = 1000, .draws = 1000, .seed = sampler_seed(), .progress = 0});
  const double seconds = timer.seconds();
  std::cout << "lkj + multi_normal_cholesky (N = " << N << ", K = " << K << "): " << seconds
            << " s, " << fit.num_divergent() << " divergent\n";
  const Eigen::MatrixXd l_draws = fit.draws<"L">();
  for (int j = 0; j < K; ++j)
    for (int i = j + 1; i < K; ++i) {
      const quantity_summary r = summarize_draws(correlation_draws(l_draws, K, i, j), 4);
      char line[256];
      std::snprintf(line, sizeof line,
                    "  Omega(%d,%d): mean %.3f, sd %.3f, 95%% interval (%.3f, %.3f), r_hat %.4f "
                    "(true %.2f, %.2f sd away)\n",
                    i + 1, j + 1, r.mean, r.sd, r.q025, r.q975, r.r_hat, omega(i, j),
                    (r.mean - omega(i, j)) / r.sd);
      std::cout << line << std::flush;
      INFO(line);
      CHECK(std::abs(r.mean - omega(i, j)) < 3 * r.sd);
      CHECK(r.r_hat < 1.01);
    }
  CHECK(fit.num_divergent() == 0);
}
