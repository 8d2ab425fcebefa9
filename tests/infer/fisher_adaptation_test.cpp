// The Fisher-divergence warm-up (adaptation::fisher, metric::automatic):
// its estimators against exact answers on Gaussians, where the metric that
// minimises the Fisher divergence is the covariance itself, and whole runs of
// NUTS with it against known posteriors.
#include "gaussian_feed.hpp"
#include "test_models.hpp"

#include <statix/infer/fisher_adaptation.hpp>
#include <statix/infer/sample_chains.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

namespace sx = statix;
using namespace test_models;

namespace {

Eigen::MatrixXd rho_covariance(int d, double rho, const Eigen::VectorXd& sd) {
  Eigen::MatrixXd c = Eigen::MatrixXd::Constant(d, d, rho);
  c.diagonal().setOnes();
  return sd.asDiagonal() * c * sd.asDiagonal();
}

} // namespace

TEST_CASE("the Fisher diagonal metric of independent Gaussian draws is their variance, exactly",
          "[infer]") {
  // q and its gradient -q / s^2 vary together, so sqrt(var q / var grad) is
  // s^2 for any number of draws: the estimate is exact after 3 draws, where
  // a variance of 3 draws is off by a factor of up to 10.
  Eigen::VectorXd sd(5);
  sd << 0.01, 0.5, 1.0, 3.0, 100.0;
  gaussian_feed feed(Eigen::VectorXd::LinSpaced(5, -2, 2),
                     Eigen::MatrixXd(sd.array().square().matrix().asDiagonal()), 7);
  sx::euclidean_metric metric(sx::metric::diag, 5);
  sx::fisher_metric_adaptation adaptation(sx::metric::diag, 5, 1000);
  adaptation.start(feed.next(), metric);
  using action = sx::step_size_action;
  int reinitialised = 0;
  for (int i = 0; i < 40; ++i) {
    const action a = adaptation.learn(i, feed.next(), metric);
    reinitialised += a == action::reinitialise;
    if (i >= 1) {
      const Eigen::VectorXd ratio = metric.inverse_diagonal().array() / sd.array().square();
      INFO("draw " << i << ": inverse metric / variance = " << ratio.transpose());
      CHECK((ratio.array() - 1.0).abs().maxCoeff() < 1e-9);
    }
  }
  CHECK(reinitialised == 1); // the step size is searched again once, at the first estimate
}

TEST_CASE("the warm-up schedule: rolling windows, a fixed metric in the last 15 %", "[infer]") {
  gaussian_feed feed(Eigen::VectorXd::Zero(2), Eigen::MatrixXd::Identity(2, 2), 3);
  sx::euclidean_metric metric(sx::metric::diag, 2);
  sx::fisher_metric_adaptation adaptation(sx::metric::diag, 2, 200);
  adaptation.start(feed.next(), metric);
  using action = sx::step_size_action;
  REQUIRE(adaptation.final_window_start() == 170);
  Eigen::VectorXd at_final;
  for (int i = 0; i < 200; ++i) {
    const action a = adaptation.learn(i, feed.next(), metric);
    CHECK((a == action::restart) ==
          (i == 169)); // dual averaging restarts once, for the last window
    if (i == 169) at_final = metric.inverse_diagonal();
    if (i > 169) CHECK(metric.inverse_diagonal() == at_final);
  }
}

TEST_CASE("the dense Fisher estimate recovers a correlated Gaussian's covariance", "[infer]") {
  const int d = 4;
  Eigen::VectorXd sd(d);
  sd << 0.1, 1.0, 2.0, 10.0;
  const Eigen::MatrixXd cov = rho_covariance(d, 0.9, sd);
  gaussian_feed feed(Eigen::VectorXd::Zero(d), cov, 11);
  sx::euclidean_metric metric(sx::metric::dense, d);
  sx::fisher_metric_adaptation adaptation(sx::metric::dense, d, 1000);
  adaptation.start(feed.next(), metric);
  // Exact draws and gradients of a Gaussian: S G S = X has the covariance as
  // its solution whatever the sample, so only the ridge of 1e-5 (in
  // coordinates of unit scale) separates the estimate from it.
  for (int i = 0; i < 1000; ++i)
    adaptation.learn(i, feed.next(), metric);
  REQUIRE(metric.kind() == sx::metric::dense);
  const Eigen::MatrixXd S = metric.inverse_metric();
  // Relative to the scales: the correlation structure and the variances.
  const Eigen::MatrixXd relative =
      sd.cwiseInverse().asDiagonal() * (S - cov) * sd.cwiseInverse().asDiagonal();
  INFO("estimate:\n" << S << "\nexact:\n" << cov);
  CHECK(relative.cwiseAbs().maxCoeff() < 1e-3);
}

TEST_CASE("the Fisher losses in a span equal the loss of the full d x d covariance", "[infer]") {
  // S = R (I + U (M - I) U') R built as a matrix, and the loss's definition,
  // mean |S^{1/2} g + S^{-1/2} (x - mu)|^2 = g'Sg + 2 g'(x - mu) + (x - mu)'
  // S^{-1} (x - mu), against the O(d k) forms that metric::automatic scores.
  const int d = 12, k = 5, n = 9;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  const auto random_matrix = [&](int rows, int cols) {
    Eigen::MatrixXd m(rows, cols);
    for (double& v : m.reshaped())
      v = normal(rng);
    return m;
  };
  const Eigen::VectorXd root = random_matrix(d, 1).array().exp();
  const Eigen::MatrixXd u =
      Eigen::HouseholderQR<Eigen::MatrixXd>(random_matrix(d, k)).householderQ() *
      Eigen::MatrixXd::Identity(d, k);
  const Eigen::MatrixXd a = random_matrix(k, k);
  const Eigen::MatrixXd m = a * a.transpose() + 0.1 * Eigen::MatrixXd::Identity(k, k);
  const Eigen::VectorXd mu = random_matrix(d, 1);
  const Eigen::MatrixXd x = random_matrix(d, n), g = random_matrix(d, n);
  const auto direct_loss = [&](const Eigen::MatrixXd& inner) {
    Eigen::MatrixXd S = u * (inner - Eigen::MatrixXd::Identity(k, k)) * u.transpose();
    S.diagonal().array() += 1.0;
    S = root.asDiagonal() * S * root.asDiagonal();
    const Eigen::LLT<Eigen::MatrixXd> llt(S);
    double total = 0;
    for (int j = 0; j < n; ++j) {
      const Eigen::VectorXd e = x.col(j) - mu;
      total += g.col(j).dot(S * g.col(j)) + 2.0 * g.col(j).dot(e) + e.dot(llt.solve(e));
    }
    return total / n;
  };
  const double dense = direct_loss(m);
  CHECK(sx::detail::fisher_loss_in_span(root, u, m, mu, x, g) == Approx(dense).epsilon(1e-10));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(m);
  CHECK(sx::detail::fisher_loss_low_rank(root, u * eigen.eigenvectors(), eigen.eigenvalues(), mu, x,
                                         g) == Approx(dense).epsilon(1e-10));
  // No columns: the diagonal metric R^2.
  CHECK(sx::detail::fisher_loss_low_rank(root, Eigen::MatrixXd(d, 0), {}, mu, x, g) ==
        Approx(direct_loss(Eigen::MatrixXd::Identity(k, k))).epsilon(1e-10));
  // Not positive definite: +infinity, never chosen.
  CHECK(std::isinf(sx::detail::fisher_loss_in_span(root, u, -m, mu, x, g)));
}

TEST_CASE("metric::automatic takes the dense metric for correlated draws, not for independent ones",
          "[infer]") {
  const int d = 10;
  const Eigen::VectorXd sd = Eigen::VectorXd::LinSpaced(d, 0.5, 5.0);
  for (unsigned seed = 1; seed <= 10; ++seed) {
    for (const double rho : {0.0, 0.9}) {
      gaussian_feed feed(Eigen::VectorXd::Zero(d), rho_covariance(d, rho, sd), seed);
      sx::euclidean_metric metric(sx::metric::automatic, d);
      REQUIRE(metric.kind() == sx::metric::diag);
      sx::fisher_metric_adaptation adaptation(sx::metric::automatic, d, 1000);
      adaptation.start(feed.next(), metric);
      for (int i = 0; i < 850; ++i)
        adaptation.learn(i, feed.next(), metric);
      INFO("seed " << seed << ", rho " << rho);
      CHECK(adaptation.dense_chosen() == (rho > 0));
      CHECK((metric.kind() == sx::metric::dense) == (rho > 0));
    }
  }
}

TEST_CASE("metric::automatic's evidence: 40 draws' worth of log loss ratios under log 0.7",
          "[infer]") {
  using evidence = sx::detail::structure_evidence;
  const auto first_window_wins = [](int draws, double ratio) {
    return evidence().add(draws, ratio);
  };
  // One early window (20 draws) alone needs a ratio under 0.7^2 = 0.49.
  CHECK_FALSE(first_window_wins(20, 0.6));
  CHECK_FALSE(first_window_wins(20, 0.5));
  CHECK(first_window_wins(20, 0.45));
  // A late window (80 draws) needs its own ratio under 0.7.
  CHECK(first_window_wins(80, 0.69));
  CHECK_FALSE(first_window_wins(80, 0.71));
  // Two early windows need a geometric mean ratio under 0.7.
  evidence two;
  CHECK_FALSE(two.add(20, 0.65));
  CHECK(two.add(20, 0.65));
  evidence mixed;
  CHECK_FALSE(mixed.add(20, 0.8));
  CHECK_FALSE(mixed.add(20, 0.65)); // 0.8 x 0.65 = 0.52 > 0.49
  // Windows older than the newest 40 draws are forgotten: 0.5, 1.0, 0.5 would
  // win over all three (0.25 < 0.7^3), but the newest two hold 40 draws.
  evidence forgets;
  CHECK_FALSE(forgets.add(20, 0.5));
  CHECK_FALSE(forgets.add(20, 1.0));
  CHECK_FALSE(forgets.add(20, 0.5));
  CHECK(forgets.add(20, 0.5));
  // A ratio that is not finite, or zero, counts against the structured metric:
  // after 0.8 a window of 0.6 wins, after NaN or 0 it does not.
  for (const double bad : {std::nan(""), 0.0, HUGE_VAL}) {
    evidence after_bad;
    CHECK_FALSE(after_bad.add(20, bad));
    CHECK_FALSE(after_bad.add(20, 0.6));
  }
  evidence after_good;
  CHECK_FALSE(after_good.add(20, 0.8));
  CHECK(after_good.add(20, 0.6));
}

TEST_CASE("NUTS with the Fisher warm-up samples a badly scaled Gaussian correctly", "[infer]") {
  Eigen::VectorXd mean(6), sd(6);
  mean << 1, -2, 0.5, 10, 0, 3;
  sd << 0.01, 0.1, 1, 10, 100, 2;
  const iid_normal_model model(mean, sd);
  for (const int warmup : {300, 1000}) {
    const auto chains = sx::sample_chains(model, sx::nuts{.chains = 4,
                                                          .warmup = warmup,
                                                          .draws = 1000,
                                                          .seed = 5,
                                                          .threads = 1,
                                                          .progress = 0,
                                                          .adaptation = sx::adaptation::fisher});
    for (int i = 0; i < 6; ++i) {
      const column_estimate e = estimate_column(chains, first_output_col + i);
      INFO("warm-up " << warmup << ", x." << i + 1 << ": mean " << e.mean << " +- " << e.mcse
                      << ", sd " << std::sqrt(e.variance));
      CHECK(std::abs(e.mean - mean[i]) < 5 * e.mcse);
      CHECK(std::sqrt(e.variance) / sd[i] == Approx(1.0).margin(0.1));
    }
    for (const auto& c : chains) {
      // The adapted metric is the variance (within 30 %: the final windows hold 80-240 draws).
      const Eigen::VectorXd ratio = c.inv_metric.col(0).array() / sd.array().square();
      INFO("inverse metric / variance: " << ratio.transpose());
      CHECK((ratio.array() - 1.0).abs().maxCoeff() < 0.3);
      CHECK(c.draws.col(divergent_col).sum() == 0);
    }
  }
}

TEST_CASE("NUTS with metric::automatic goes dense on a correlated Gaussian and samples it",
          "[infer]") {
  const int d = 8;
  const Eigen::MatrixXd cov = correlated_covariance(d, 3);
  const gaussian_model model(Eigen::VectorXd::Zero(d), cov);
  const auto run = [&](sx::metric metric) {
    return sx::sample_chains(model, sx::nuts{.chains = 4,
                                             .warmup = 1000,
                                             .draws = 1000,
                                             .seed = 9,
                                             .metric = metric,
                                             .threads = 1,
                                             .progress = 0});
  };
  const auto automatic = run(sx::metric::automatic);
  const auto diag = run(sx::metric::diag);
  long long leapfrog_automatic = 0, leapfrog_diag = 0;
  for (std::size_t c = 0; c < automatic.size(); ++c) {
    CHECK(automatic[c].dense_metric);
    leapfrog_automatic += automatic[c].sampling_gradient_evaluations;
    leapfrog_diag += diag[c].sampling_gradient_evaluations;
  }
  for (int i = 0; i < d; ++i) {
    const column_estimate e = estimate_column(automatic, first_output_col + i);
    INFO("x." << i + 1 << ": mean " << e.mean << " +- " << e.mcse);
    CHECK(std::abs(e.mean) < 5 * e.mcse);
    CHECK(std::sqrt(e.variance / cov(i, i)) == Approx(1.0).margin(0.1));
  }
  INFO("leapfrog steps while sampling: automatic " << leapfrog_automatic << ", diag "
                                                   << leapfrog_diag);
  CHECK(2 * leapfrog_automatic < leapfrog_diag);
}

TEST_CASE("a user-given inverse metric starts the Fisher warm-up", "[infer]") {
  const iid_normal_model model(Eigen::VectorXd::Zero(2), Eigen::VectorXd::Ones(2));
  // A user-given inverse metric is the start of the Fisher warm-up as well.
  const auto chains =
      sx::sample_chains(model, sx::nuts{.chains = 1,
                                        .warmup = 200,
                                        .draws = 10,
                                        .seed = 1,
                                        .threads = 1,
                                        .progress = 0,
                                        .inv_metric = Eigen::VectorXd::Constant(2, 4.0),
                                        .adaptation = sx::adaptation::fisher});
  CHECK(chains.front().inv_metric.size() == 2);
}
