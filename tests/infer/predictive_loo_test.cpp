// Predictive draws and LOO (issue "Beyond MCMC"): prior predictive moments
// against closed forms, posterior predictive draws of eight schools against
// the posterior of theta, pointwise log densities against the family's
// formula, and sx::loo against R's loo package (2.5.1) on stored
// log-likelihood matrices (tests/data/loo: make_log_lik.cpp wrote them,
// loo_reference.R ran loo on them).
#include <statix/infer/loo.hpp>
#include <statix/infer/predictive.hpp>
#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace sx = statix;
using Catch::Matchers::Contains;

namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string field;
    while (std::getline(s, field, ','))
      fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

Eigen::MatrixXd read_matrix(const std::string& path) {
  const auto rows = read_csv(path);
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()),
                    static_cast<Eigen::Index>(rows.front().size()));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = std::stod(rows[r][c]);
  return m;
}

const std::string data_dir = std::string(STATIX_SOURCE_DIR) + "/tests/data/loo/";

// |mean - expected| in units of the standard error of the mean of iid draws.
double z_of_mean(const Eigen::VectorXd& v, double expected) {
  const double mean = v.mean();
  const double sd = std::sqrt((v.array() - mean).square().sum() / (v.size() - 1.0));
  return std::abs(mean - expected) / (sd / std::sqrt(double(v.size())));
}

} // namespace

TEST_CASE("sx::loo equals R's loo on stored log-likelihood matrices", "[infer][loo]") {
  const auto reference = read_csv(data_dir + "loo_reference.csv");
  for (const std::string name : {"eight_schools", "kidiq", "outlier"}) {
    INFO(name);
    const Eigen::MatrixXd log_lik = read_matrix(data_dir + name + "_log_lik.csv");
    const sx::loo_result result = sx::loo(log_lik);
    int checked = 0;
    for (std::size_t r = 1; r < reference.size(); ++r) {
      const auto& row = reference[r];
      if (row[0] != "\"" + name + "\"") continue;
      const int i = std::stoi(row[1]) - 1;
      if (checked == 0) {
        CHECK(result.elpd_loo == Approx(std::stod(row[2])).epsilon(1e-9));
        CHECK(result.se_elpd_loo == Approx(std::stod(row[3])).epsilon(1e-9));
        CHECK(result.p_loo == Approx(std::stod(row[4])).epsilon(1e-9));
        CHECK(result.se_p_loo == Approx(std::stod(row[5])).epsilon(1e-9));
        CHECK(result.looic == Approx(std::stod(row[6])).epsilon(1e-9));
      }
      CHECK(result.pointwise_elpd_loo[i] == Approx(std::stod(row[7])).epsilon(1e-9));
      CHECK(result.pointwise_p_loo[i] == Approx(std::stod(row[8])).epsilon(1e-8).margin(1e-12));
      CHECK(result.pareto_k[i] == Approx(std::stod(row[9])).epsilon(1e-8).margin(1e-12));
      ++checked;
    }
    CHECK(checked == log_lik.cols());
  }
  // The outlier's estimate is flagged, the other points' are not.
  const sx::loo_result outlier = sx::loo(read_matrix(data_dir + "outlier_log_lik.csv"));
  CHECK(outlier.pareto_k[30] > 0.7);
  CHECK(outlier.num_high_k() == 1);
  CHECK_THROWS_WITH(sx::loo(Eigen::MatrixXd::Zero(1, 3)), Contains("at least 2 draws"));
}

TEST_CASE("prior predictive draws match their closed-form moments", "[infer][predictive]") {
  // mu ~ N(1, 2); theta_j ~ N(mu, 1); y ~ N(theta, 0.5): y_j has mean 1,
  // variance 4 + 1 + 0.25. lambda ~ gamma(2, 1); k ~ poisson(lambda): mean 2,
  // variance E lambda + var lambda = 4.
  auto mu = sx::normal<"mu">(1.0, 2.0);
  auto theta = sx::normal<"theta">(mu, 1.0, sx::size(2));
  auto lambda = sx::gamma<"lambda">(2.0, 1.0);
  Eigen::VectorXd y(2);
  y << 0.3, -0.2;
  std::vector<int> k = {1, 4, 2};
  auto model = sx::model(mu, theta, lambda, sx::normal<"y">(theta, 0.5).observe(y),
                         sx::poisson<"k">(lambda).observe(k));
  const int draws = 20000;
  const auto prior = sx::sample_prior_predictive(model, draws, 3);
  CHECK(prior.column_names().size() == 1 + 2 + 1 + 2 + 3);
  CHECK(prior.column_names()[4] == "y.1");
  const auto check_moments = [&](const Eigen::VectorXd& v, double mean, double variance) {
    CHECK(z_of_mean(v, mean) < 4.0);
    // The sample variance has sd variance * sqrt((2 + excess kurtosis) / n):
    // 5 of those with an excess kurtosis up to 6 (gamma(2, 1) has 3).
    const double var = (v.array() - v.mean()).square().sum() / (v.size() - 1.0);
    CHECK(std::abs(var - variance) < 5.0 * variance * std::sqrt(8.0 / v.size()));
  };
  check_moments(prior.draws("mu"), 1.0, 4.0);
  check_moments(prior.draws("theta.2"), 1.0, 5.0);
  check_moments(prior.draws("lambda"), 2.0, 2.0);
  check_moments(prior.draws("y.1"), 1.0, 5.25);
  check_moments(prior.draws<"k">().col(2), 2.0, 4.0);
  // Correlation through the shared parent: cov(theta_1, theta_2) = var mu = 4.
  const Eigen::MatrixXd t = prior.draws<"theta">();
  const double cov =
      ((t.col(0).array() - t.col(0).mean()) * (t.col(1).array() - t.col(1).mean())).sum() /
      (draws - 1.0);
  CHECK(std::abs(cov - 4.0) < 0.4);
  // The same seed gives the same draws.
  CHECK(sx::sample_prior_predictive(model, 50, 3).all_draws() == prior.all_draws().topRows(50));
  // A flat prior has nothing to draw from.
  auto flat = sx::flat<"b">();
  CHECK_THROWS_WITH(
      sx::sample_prior_predictive(sx::model(flat, sx::normal<"z">(flat, 1.0).observe(y)), 10),
      Contains("\"b\""));
}

TEST_CASE("posterior predictive draws of eight schools, and their pointwise log densities",
          "[infer][predictive][loo]") {
  Eigen::VectorXd y(8), sigma(8);
  y << 28, 8, -3, 7, -1, 1, 18, 12;
  sigma << 15, 10, 16, 11, 9, 11, 10, 18;
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto model = sx::model(mu, tau, theta_raw, theta, sx::normal<"y">(theta, sigma).observe(y));
  auto fit = sx::sample(model, sx::nuts{.chains = 4, .seed = 2, .progress = 0});
  // All quantities as one matrix, in output_names() order.
  const Eigen::MatrixXd all = fit.draws_matrix();
  REQUIRE(all.cols() == static_cast<Eigen::Index>(fit.output_names().size()));
  CHECK(all.col(0) == fit.draws("mu"));
  CHECK(all.col(all.cols() - 1) == fit.draws("theta.8"));
  const auto ppc = sx::sample_posterior_predictive(model, fit, 5);
  REQUIRE(ppc.column_names().size() == 8u);
  CHECK(ppc.column_names()[0] == "y.1");
  CHECK(ppc.num_draws() == fit.num_draws());
  const Eigen::MatrixXd y_rep = ppc.draws<"y">();
  const Eigen::MatrixXd theta_draws = fit.draws<"theta">();
  for (int j = 0; j < 8; ++j) {
    INFO("school " << j + 1);
    // y_rep_j - theta_j ~ N(0, sigma_j^2) independently at each draw.
    const Eigen::VectorXd noise = y_rep.col(j) - theta_draws.col(j);
    CHECK(z_of_mean(noise, 0.0) < 4.0);
    const double sd = std::sqrt(noise.squaredNorm() / noise.size());
    CHECK(sd == Approx(sigma[j]).epsilon(0.06));
  }
  // Pointwise log densities against the normal density at each draw.
  const Eigen::MatrixXd log_lik = sx::log_likelihood(model, fit);
  REQUIRE(log_lik.rows() == fit.num_draws());
  REQUIRE(log_lik.cols() == 8);
  for (Eigen::Index s = 0; s < log_lik.rows(); s += 397)
    for (int j = 0; j < 8; ++j) {
      const double z = (y[j] - theta_draws(s, j)) / sigma[j];
      CHECK(log_lik(s, j) ==
            Approx(-0.5 * z * z - std::log(sigma[j]) - 0.5 * std::log(2 * M_PI)).epsilon(1e-12));
    }
  const sx::loo_result loo = sx::loo(model, fit);
  CHECK(loo.pointwise_elpd_loo.size() == 8);
  CHECK(loo.elpd_loo < loo.pointwise_lpd.sum());
  CHECK(loo.p_loo > 0.3);
  CHECK(loo.p_loo < 3.0);
}
