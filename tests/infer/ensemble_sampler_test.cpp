// The ensemble samplers (sx::chees, sx::meads) on an exact posterior, their
// reproducibility over thread counts, and their option checks. posteriordb
// posteriors: tests/posteriordb/ensemble_posteriordb_test.cpp.
#include "same_draws.hpp"

#include <statix/infer/ensemble.hpp>
#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace sx = statix;
using statix_test::same_draws;

namespace {

// Independent normals whose scales span four orders of magnitude, and a
// positive scale: the posterior is known exactly, and a sampler that does
// not adapt its metric and step size to the chains' spread mixes badly.
auto scaled_normals() {
  const Eigen::VectorXd scale = (Eigen::VectorXd(4) << 0.01, 1.0, 10.0, 100.0).finished();
  auto x = sx::normal<"x">(0.0, scale);
  auto s = sx::lognormal<"s">(0.0, 0.5);
  return sx::model(x, s);
}

// Every parameter's mean within 4 Monte Carlo standard errors of the exact
// one, sd within 10 %, R-hat below 1.01.
template <class Fit>
void check_exact(const Fit& fit) {
  const auto summary = fit.summary();
  const double sd_x[4] = {0.01, 1.0, 10.0, 100.0};
  for (int i = 0; i < 4; ++i) {
    const std::string name = "x[" + std::to_string(i + 1) + "]";
    const sx::summary_row* row = summary.find(name);
    REQUIRE(row != nullptr);
    INFO(name << ": mean " << row->mean << " (mcse " << row->mcse_mean << "), sd " << row->sd
              << ", r_hat " << row->r_hat);
    CHECK(std::abs(row->mean) < 4 * row->mcse_mean);
    CHECK(std::abs(row->sd / sd_x[i] - 1) < 0.1);
    CHECK(row->r_hat < 1.01);
  }
  const sx::summary_row* s = summary.find("s");
  REQUIRE(s != nullptr);
  // lognormal(0, 0.5): mean exp(1/8), sd sqrt((exp(1/4) - 1) exp(1/4)).
  const double mean = std::exp(0.125), sd = std::sqrt((std::exp(0.25) - 1) * std::exp(0.25));
  INFO("s: mean " << s->mean << " (exact " << mean << ", mcse " << s->mcse_mean << "), sd " << s->sd
                  << " (exact " << sd << "), r_hat " << s->r_hat);
  CHECK(std::abs(s->mean - mean) < 4 * s->mcse_mean);
  CHECK(std::abs(s->sd / sd - 1) < 0.1);
  CHECK(s->r_hat < 1.01);
  CHECK(fit.num_divergent() == 0);
}

} // namespace

TEST_CASE("ChEES samples an exact posterior with 128 chains, from both starts", "[infer]") {
  const auto model = scaled_normals();
  for (const auto start : {sx::ensemble_start::laplace, sx::ensemble_start::random}) {
    sx::chees options{.chains = 128, .warmup = 500, .draws = 500, .seed = 7, .progress = 0};
    options.start = start;
    const auto fit = sx::sample(model, options);
    INFO((start == sx::ensemble_start::laplace ? "laplace start" : "random start"));
    check_exact(fit);
    CHECK(fit.num_chains() == 128);
    CHECK(fit.chains()[0].draws.rows() == 500);
    // The adapted inverse metric is the posterior variance shrunk toward
    // 1e-3 as Stan's (n / (n + 5) var + 1e-3 * 5 / (n + 5), n = 128 chains),
    // within 15 %.
    const Eigen::VectorXd& inv_metric = fit.chains()[0].inv_metric;
    REQUIRE(inv_metric.size() == 5);
    const auto regularised = [](double var) { return 128.0 / 133 * var + 1e-3 * 5.0 / 133; };
    CHECK(std::abs(inv_metric[0] / regularised(1e-4) - 1) < 0.15);
    CHECK(std::abs(inv_metric[3] / regularised(1e4) - 1) < 0.15);
  }
}

TEST_CASE("MEADS samples an exact posterior with 128 chains", "[infer]") {
  const auto model = scaled_normals();
  const auto fit = sx::sample(
      model, sx::meads{.chains = 128, .warmup = 1000, .draws = 1000, .seed = 7, .progress = 0});
  check_exact(fit);
  CHECK(fit.chains()[0].draws.rows() == 1000);
}

TEST_CASE("ChEES and MEADS with a dense metric sample an exact posterior", "[infer]") {
  const auto model = scaled_normals();
  sx::chees c{.chains = 128, .warmup = 500, .draws = 500, .seed = 7, .progress = 0};
  c.metric = sx::metric::dense;
  const auto chees_fit = sx::sample(model, c);
  check_exact(chees_fit);
  const sx::chain_result& first = chees_fit.chains()[0];
  CHECK(first.dense_metric);
  REQUIRE(first.inv_metric.rows() == 5);
  REQUIRE(first.inv_metric.cols() == 5);
  // The covariance of independent coordinates: off-diagonal entries small
  // against the product of the scales (128 chains: about 1 / sqrt(128)).
  CHECK(std::abs(first.inv_metric(0, 3)) < 0.3 * 0.01 * 100);

  sx::meads m{.chains = 128, .warmup = 1000, .draws = 1000, .seed = 7, .progress = 0};
  m.metric = sx::metric::dense;
  check_exact(sx::sample(model, m));
}

TEST_CASE("ensemble samplers give the same draws with any number of threads", "[infer]") {
  const auto model = scaled_normals();
  sx::chees c{.chains = 16, .warmup = 100, .draws = 50, .seed = 3, .threads = 1, .progress = 0};
  const auto one = sx::sample(model, c);
  c.threads = 2;
  const auto two = sx::sample(model, c);
  c.threads = 5;
  const auto five = sx::sample(model, c);
  CHECK(same_draws(one, two));
  CHECK(same_draws(one, five));
  c.seed = 4;
  CHECK_FALSE(same_draws(one, sx::sample(model, c)));

  sx::meads m{.chains = 16, .warmup = 100, .draws = 50, .seed = 3, .threads = 1, .progress = 0};
  const auto m_one = sx::sample(model, m);
  m.threads = 3;
  CHECK(same_draws(m_one, sx::sample(model, m)));
}

TEST_CASE("ensemble sampler options are checked", "[infer]") {
  const auto model = scaled_normals();
  const auto message = [&](const auto& options) {
    try {
      sx::sample(model, options);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  CHECK_THAT(message(sx::meads{.chains = 10, .progress = 0}),
             Catch::Contains("sx::meads") && Catch::Contains("multiple of folds"));
  CHECK_THAT(message(sx::chees{.chains = 1, .progress = 0}),
             Catch::Contains("sx::chees") && Catch::Contains("chains"));
  sx::chees bad_jitter{.chains = 8, .progress = 0};
  bad_jitter.jitter = 2;
  CHECK_THAT(message(bad_jitter), Catch::Contains("jitter"));
  sx::meads unit{.chains = 8, .progress = 0};
  unit.metric = sx::metric::unit;
  CHECK_THAT(message(unit), Catch::Contains("metric"));
}
