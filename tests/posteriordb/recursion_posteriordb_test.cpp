// Recursion over time and hidden Markov models against posteriordb
// (github.com/stan-dev/posteriordb), 4 chains x 1000 warm-up x 1000 draws:
// - hmm_example: sx::hmm_marginal over a positive_ordered mean vector and two
//   flat simplex rows, against its reference summary with the checks of
//   posteriordb_test.cpp (every mean within 4 combined Monte Carlo standard
//   errors, every sd within 20%, R-hat below 1.01);
// - garch11 (sx::scan, a bound depending on another parameter) and
//   hmm_drive_0 (Dirichlet rows, exponential emissions): posteriordb's
//   reference summaries are held back here, so the summary is printed and
//   the fit is required to have no divergent transitions and R-hat below 1.01.
// Seeds 1-10 (STATIX_RECURSION_SEED) all pass every check here; hmm_example's
// worst |z| over them was 2.78 (seed 1), each run takes 0.5-6 s.
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
#include <sstream>
#include <string>
#include <vector>

namespace sx = statix;
using statix_test::hmm_example_model;
using statix_test::read_reference_csv;
using statix_test::reference_row;
using statix_test::stan_data;

namespace {

const std::filesystem::path recursion_data_dir = STATIX_SOURCE_DIR "/tests/posteriordb/data";

stan_data recursion_data(const std::string& posterior) {
  return stan_data(recursion_data_dir / posterior / "data.json");
}

// The sampler's seed, 1 unless STATIX_RECURSION_SEED overrides it (to run the
// checks over many seeds).
std::uint64_t recursion_seed() {
  if (const char* s = std::getenv("STATIX_RECURSION_SEED"))
    return static_cast<std::uint64_t>(std::strtoull(s, nullptr, 10));
  return 1;
}

sx::nuts recursion_run() {
  return sx::nuts{
      .chains = 4, .warmup = 1000, .draws = 1000, .seed = recursion_seed(), .progress = 0};
}

struct recursion_stopwatch {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

// Prints the summary rows of `names` (with the reference beside them where
// one is given) and checks R-hat below 1.01 on each; with a reference, the
// mean within 4 combined MCSE and the sd within 20% as well.
template <class Fit>
void report_and_check(const std::string& posterior, const Fit& fit, double seconds,
                      const std::vector<std::string>& names,
                      const std::vector<reference_row>& reference = {}) {
  const auto summary = fit.summary();
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%s: 4 x 1000 draws in %.2f s, %lld divergent (seed %llu)\n",
                posterior.c_str(), seconds, static_cast<long long>(fit.num_divergent()),
                static_cast<unsigned long long>(recursion_seed()));
  out << line;
  std::snprintf(line, sizeof line, "  %-11s %10s %10s %7s %9s %9s %8s %7s %9s\n", "name", "mean",
                "ref mean", "z", "sd", "ref sd", "sd ratio", "r_hat", "ess_bulk");
  out << line;
  double worst_z = 0, worst_sd = 1, worst_rhat = 0;
  for (const std::string& name : names) {
    const sx::summary_row* row = summary.find(name);
    INFO(posterior << ": the fit has no summary row " << name);
    REQUIRE(row != nullptr);
    const auto ref = std::find_if(reference.begin(), reference.end(),
                                  [&](const reference_row& r) { return r.name == name; });
    double z = NAN, ratio = NAN, ref_mean = NAN, ref_sd = NAN;
    if (ref != reference.end()) {
      ref_mean = ref->mean;
      ref_sd = ref->sd;
      z = (row->mean - ref->mean) /
          std::sqrt(row->mcse_mean * row->mcse_mean + ref->mcse_mean * ref->mcse_mean);
      ratio = row->sd / ref->sd;
      if (std::abs(z) > std::abs(worst_z)) worst_z = z;
      if (std::abs(ratio - 1) > std::abs(worst_sd - 1)) worst_sd = ratio;
    }
    worst_rhat = std::max(worst_rhat, row->r_hat);
    std::snprintf(line, sizeof line, "  %-11s %10.4f %10.4f %7.2f %9.4f %9.4f %8.3f %7.4f %9.0f\n",
                  name.c_str(), row->mean, ref_mean, z, row->sd, ref_sd, ratio, row->r_hat,
                  row->ess_bulk);
    out << line;
    INFO(name << ": mean " << row->mean << " (reference " << ref_mean << ", z = " << z << "), sd "
              << row->sd << " (reference " << ref_sd << "), r_hat " << row->r_hat);
    CHECK(row->r_hat < 1.01);
    if (ref != reference.end()) {
      CHECK(std::abs(z) < 4.0);
      CHECK(std::abs(ratio - 1.0) < 0.2);
    }
  }
  if (!reference.empty()) {
    std::snprintf(line, sizeof line, "  worst z %.2f, worst sd ratio %.3f, largest r_hat %.4f\n",
                  worst_z, worst_sd, worst_rhat);
  } else {
    std::snprintf(line, sizeof line, "  reference held back; largest r_hat %.4f\n", worst_rhat);
  }
  out << line;
  std::cout << out.str() << std::flush;
}

} // namespace

// hmm_example (sx::hmm_marginal over two states; the model in
// posteriordb_models.hpp).
TEST_CASE("posteriordb hmm_example with sx::hmm_marginal", "[posteriordb]") {
  const std::string posterior = "hmm_example-hmm_example";
  const auto model = hmm_example_model();

  recursion_stopwatch timer;
  const auto fit = sx::sample(model, recursion_run());
  const std::vector<reference_row> reference =
      read_reference_csv(recursion_data_dir / posterior / "reference.csv");
  std::vector<std::string> names;
  for (const auto& r : reference)
    names.push_back(r.name);
  report_and_check(posterior, fit, timer.seconds(), names, reference);
  CHECK(fit.num_divergent() == 0);
}

// garch11 (GARCH(1,1)): data T, y, sigma1;
//   mu flat; alpha0 > 0 flat; alpha1 in (0, 1) flat; beta1 in (0, 1 - alpha1)
//   flat; sigma[1] = sigma1, sigma[t] = sqrt(alpha0 + alpha1 (y[t-1] - mu)^2 +
//   beta1 sigma[t-1]^2); y[t] ~ normal(mu, sigma[t]) for every t.
TEST_CASE("posteriordb garch11 with sx::scan", "[posteriordb]") {
  const std::string posterior = "garch-garch11";
  const stan_data data = recursion_data(posterior);
  const int T = data.integer("T");
  const Eigen::VectorXd y = data.vector("y");
  REQUIRE(y.size() == T);
  const double sigma1 = data.real("sigma1");

  auto mu = sx::flat<"mu">();
  auto alpha0 = sx::flat<"alpha0">(sx::lower(0.0));
  auto alpha1 = sx::flat<"alpha1">(sx::lower(0.0), sx::upper(1.0));
  auto beta1 = sx::flat<"beta1">(sx::lower(0.0), sx::upper(1.0 - alpha1));
  auto sigma = sx::deterministic<"sigma">(sx::scan(sigma1, T, [&](auto prev, auto t) {
    return sqrt(alpha0 + alpha1 * square(sx::data(y)[t - 1] - mu) + beta1 * square(prev));
  }));
  auto obs = sx::normal<"y">(mu, sigma).observe(y);
  auto model = sx::model(mu, alpha0, alpha1, beta1, sigma, obs);

  recursion_stopwatch timer;
  const auto fit = sx::sample(model, recursion_run());
  report_and_check(posterior, fit, timer.seconds(), {"mu", "alpha0", "alpha1", "beta1"});
  CHECK(fit.num_divergent() == 0);
  // The bound that depends on another parameter holds in every draw.
  const Eigen::VectorXd a1 = fit.draws<"alpha1">();
  const Eigen::VectorXd b1 = fit.draws<"beta1">();
  CHECK(((a1 + b1).array() < 1.0).all());
  CHECK((b1.array() > 0.0).all());
}

// hmm_drive_0: data N, K = 2, u (1 / speed), v (distance to the hoop),
// alpha (K x K); theta[k] ~ dirichlet(alpha[k]) (rows of the transition
// matrix); phi, lambda positive and ordered, phi[1] ~ normal(0, 1),
// phi[2] ~ normal(3, 1), lambda likewise; u[t] ~ exponential(phi[z_t]),
// v[t] ~ exponential(lambda[z_t]), the states summed out as in hmm_example.
TEST_CASE("posteriordb hmm_drive_0 with sx::hmm_marginal and Dirichlet rows", "[posteriordb]") {
  const std::string posterior = "bball_drive_event_0-hmm_drive_0";
  const stan_data data = recursion_data(posterior);
  const int K = data.integer("K");
  REQUIRE(K == 2);
  const int N = data.integer("N");
  const Eigen::VectorXd u = data.vector("u");
  const Eigen::VectorXd v = data.vector("v");
  REQUIRE(u.size() == N);
  REQUIRE(v.size() == N);
  const Eigen::MatrixXd alpha = data.matrix("alpha");
  REQUIRE(alpha.rows() == K);
  REQUIRE(alpha.cols() == K);
  const Eigen::VectorXd alpha1 = alpha.row(0).transpose();
  const Eigen::VectorXd alpha2 = alpha.row(1).transpose();
  Eigen::VectorXd prior_mean(2);
  prior_mean << 0.0, 3.0;
  const Eigen::VectorXd rho = Eigen::VectorXd::Constant(K, 1.0 / K);

  auto theta1 = sx::dirichlet<"theta1">(alpha1);
  auto theta2 = sx::dirichlet<"theta2">(alpha2);
  auto phi = sx::normal<"phi">(prior_mean, 1.0, sx::positive_ordered(K));
  auto lambda = sx::normal<"lambda">(prior_mean, 1.0, sx::positive_ordered(K));
  auto log_omega = sx::stack_rows(
      sx::lpdf(sx::exponential(phi[0]), u) + sx::lpdf(sx::exponential(lambda[0]), v),
      sx::lpdf(sx::exponential(phi[1]), u) + sx::lpdf(sx::exponential(lambda[1]), v));
  auto hmm = sx::hmm_marginal<"uv">(log_omega, sx::stack_rows(theta1, theta2), rho);
  auto model = sx::model(theta1, theta2, phi, lambda, hmm);

  // target_accept 0.95 (posteriordb's reference run used adapt_delta 0.9):
  // at the default 0.8, 4 of seeds 1-10 here gave divergent transitions and
  // a chain stuck where the second state is barely visited (lambda[2] near
  // its prior, R-hat 1.27-1.44); at 0.9, 2 of 10 (R-hat up to 1.39); at 0.95,
  // none of 10 (0 divergences, largest R-hat 1.0047). The override
  // STATIX_RECURSION_TARGET_ACCEPT reruns that comparison.
  sx::nuts options = recursion_run();
  options.target_accept = 0.95;
  if (const char* ta = std::getenv("STATIX_RECURSION_TARGET_ACCEPT"))
    options.target_accept = std::strtod(ta, nullptr);
  recursion_stopwatch timer;
  const auto fit = sx::sample(model, options);
  report_and_check(posterior, fit, timer.seconds(),
                   {"theta1[1]", "theta1[2]", "theta2[1]", "theta2[2]", "phi[1]", "phi[2]",
                    "lambda[1]", "lambda[2]"});
  CHECK(fit.num_divergent() == 0);
}
