// NUTS against posteriordb's reference posteriors (github.com/stan-dev/posteriordb):
// gold-standard summaries from 10 x 1000 thinned Stan draws that nobody here
// computed. Each test samples 4 chains x 1000 warm-up x 1000 draws with a fixed
// seed and checks every reported parameter:
// - mean within 4 combined Monte Carlo standard errors of the reference,
//   z = (mean - ref) / sqrt(mcse^2 + mcse_ref^2), with mcse from our summary;
// - sd within 20% of the reference sd;
// - rank-normalised split R-hat below 1.01.
// A table of name, mean, reference mean, z, sd ratio and R-hat is printed for
// every posterior so that a failure can be read off the log.
//
// gp_pois_regr (a Cholesky factor of a parameter-dependent covariance) is in
// structured_posteriordb_test.cpp; hmm_example, garch11 and hmm_drive_0 (sx::scan,
// sx::hmm_marginal) in recursion_posteriordb_test.cpp.
#include "posteriordb_models.hpp"
#include "reference_check.hpp"
#include "stan_json.hpp"

#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace sx = statix;
using statix_test::read_reference_csv;
using statix_test::reference_row;
using statix_test::stan_data;
using namespace statix_test;

namespace {

// The settings every posterior is sampled with: 4 chains x 1000 warm-up x
// 1000 draws, seed 1, Stan's defaults otherwise.
sx::nuts reference_run() {
  return sx::nuts{.chains = 4, .warmup = 1000, .draws = 1000, .seed = 1, .progress = 0};
}

} // namespace

TEST_CASE("posteriordb data and reference files are read as written", "[posteriordb]") {
  const stan_data schools = load_data("eight_schools-eight_schools_noncentered");
  CHECK(schools.integer("J") == 8);
  const Eigen::VectorXd y = schools.vector("y");
  REQUIRE(y.size() == 8);
  CHECK(y[0] == 28.0);
  CHECK(y[2] == -3.0);
  CHECK(schools.vector("sigma")[7] == 18.0);

  const stan_data ark = load_data("arK-arK");
  CHECK(ark.integer("K") == 5);
  CHECK(ark.integer("T") == 200);
  REQUIRE(ark.vector("y").size() == 200);
  CHECK(ark.vector("y")[0] == 0.729385275296256);

  const stan_data kidiq = load_data("kidiq-kidscore_interaction");
  CHECK(kidiq.int_array("mom_hs").size() == 434u);
  CHECK(kidiq.vector("kid_score")[1] == 98.0);

  const std::vector<reference_row> ref = load_reference("eight_schools-eight_schools_noncentered");
  REQUIRE(ref.size() == 10);
  CHECK(ref.front().name == "theta[1]");
  CHECK(ref.back().name == "tau");
  CHECK(ref.back().mean == 3.602059523640593);
  CHECK(ref.back().mcse_mean == 0.0318615135640706);

  const auto nested = statix_test::parse_json(R"({"a": [[1, 2.5], [3e2, -4E-1]], "b": -7})");
  CHECK(nested.members.size() == 2u);
  CHECK(nested.members[0].second.elements[1].elements[0].number == 300.0);
  CHECK(nested.members[0].second.elements[1].elements[1].number == -0.4);
  CHECK_THROWS_AS(statix_test::parse_json("[1, 2"), std::runtime_error);
  CHECK_THROWS_AS(statix_test::parse_json("{\"a\": 1.2.3}"), std::runtime_error);
}

// Eight schools, non-centred (Rubin 1981): data J, y[j], sigma[j];
//   mu ~ normal(0, 5); tau ~ half-Cauchy(0, 5); theta_trans[j] ~ normal(0, 1);
//   theta[j] = mu + tau * theta_trans[j]; y[j] ~ normal(theta[j], sigma[j]).
// Reported: theta, mu, tau. Sampled with target_accept 0.95, the adapt_delta
// of posteriordb's reference run: at the default 0.8 this posterior still
// gives 1-4 divergent transitions in 4000 for about half the seeds (seeds
// 1-20 here), at 0.95 none in 20 seeds, so 0 divergences can be required.
TEST_CASE("posteriordb eight_schools_noncentered", "[posteriordb]") {
  const std::string posterior = "eight_schools-eight_schools_noncentered";
  const auto model = eight_schools_noncentered_model();
  sx::nuts options = reference_run();
  options.target_accept = 0.95;
  timed_fit_seconds timer;
  const auto fit = sx::sample(model, options);
  const auto rows = compare(posterior, fit, timer.elapsed());
  check_rows(rows);
  CHECK(fit.num_divergent() == 0);
}

// Eight schools, centred: the same posterior, theta[j] ~ normal(mu, tau)
// directly. Its funnel in (theta, log tau) is too curved near tau = 0 for the
// step size warm-up settles on: a correct NUTS reports divergent transitions
// and the estimates of tau are biased, so only the warning is checked.
TEST_CASE("posteriordb eight_schools_centered reports divergences", "[posteriordb]") {
  const std::string posterior = "eight_schools-eight_schools_centered";
  const stan_data data = load_data(posterior);
  const int J = data.integer("J");
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta = sx::normal<"theta">(mu, tau, sx::size(J));
  auto y = sx::normal<"y">(theta, data.vector("sigma")).observe(data.vector("y"));
  auto model = sx::model(mu, tau, theta, y);

  timed_fit_seconds timer;
  const auto fit = sx::sample(model, reference_run());
  compare(posterior, fit, timer.elapsed());
  CHECK(fit.num_divergent() > 0);
  const auto warnings = fit.diagnostic_warnings();
  const bool warns_of_divergences =
      std::any_of(warnings.begin(), warnings.end(), [](const sx::diagnostic_warning& w) {
        return w.kind == sx::warning_kind::divergent_transitions;
      });
  CHECK(warns_of_divergences);
  const auto messages = fit.warnings();
  const bool message_says_divergence =
      std::any_of(messages.begin(), messages.end(),
                  [](const std::string& m) { return m.find("divergen") != std::string::npos; });
  CHECK(message_says_divergence);
}

// With a dense metric the correlations cost nothing: bulk ESS about 4400 of
// 4000 draws, and every check as for the other posteriors.
TEST_CASE("posteriordb kidiq kidscore_interaction, dense metric", "[posteriordb]") {
  const std::string posterior = "kidiq-kidscore_interaction";
  auto model = kidiq_model();
  sx::nuts options = reference_run();
  options.metric = sx::metric::dense;
  timed_fit_seconds timer;
  const auto fit = sx::sample(model, options);
  const auto rows = compare(posterior, fit, timer.elapsed(), {}, " (dense metric)");
  check_rows(rows);
}

// With the default diagonal metric the bulk ESS of the coefficients is only
// about 750 of 4000 draws, and R-hat then scatters around 1.005: its largest
// value over the five parameters exceeded 1.01 (at most 1.011) in 2 of 20
// runs here, a fluctuation expected at that ESS rather than a sign of
// non-convergence. Means and sds are checked as everywhere; R-hat below 1.02.
TEST_CASE("posteriordb kidiq kidscore_interaction, diagonal metric", "[posteriordb]") {
  const std::string posterior = "kidiq-kidscore_interaction";
  auto model = kidiq_model();
  timed_fit_seconds timer;
  const auto fit = sx::sample(model, reference_run());
  const auto rows = compare(posterior, fit, timer.elapsed(), {}, " (diagonal metric)");
  check_rows(rows, 1.02);
}

// arK: posteriordb_models.hpp.
TEST_CASE("posteriordb arK", "[posteriordb]") {
  const std::string posterior = "arK-arK";
  const auto model = arK_model();

  timed_fit_seconds timer;
  const auto fit = sx::sample(model, reference_run());
  const auto rows = compare(posterior, fit, timer.elapsed());
  check_rows(rows);
}

// low_dim_gauss_mix (an ordered vector and sx::mixture): posteriordb_models.hpp.
TEST_CASE("posteriordb low_dim_gauss_mix", "[posteriordb]") {
  const std::string posterior = "low_dim_gauss_mix-low_dim_gauss_mix";
  const auto model = low_dim_gauss_mix_model();

  timed_fit_seconds timer;
  const auto fit = sx::sample(model, reference_run());
  const auto rows = compare(posterior, fit, timer.elapsed());
  check_rows(rows);
}
