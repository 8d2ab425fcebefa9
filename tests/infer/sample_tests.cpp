#include "test_models.hpp"

#include <statix/infer/sample.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <string>

#include <unistd.h>

using namespace test_models;
namespace sx = statix;

namespace {

// Everything written to file descriptor 2 between construction and finish().
class stderr_capture {
public:
  stderr_capture() : file_(std::tmpfile()), saved_(dup(2)) {
    std::fflush(stderr);
    dup2(fileno(file_), 2);
  }
  ~stderr_capture() { restore(); }
  std::string finish() {
    restore();
    std::rewind(file_);
    std::string text;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0)
      text.append(buffer, n);
    return text;
  }

private:
  void restore() {
    if (saved_ < 0) return;
    std::cerr.flush();
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::FILE* file_;
  int saved_;
};

} // namespace

TEST_CASE("sample() returns a fit holding the chains sample_chains() gives", "[infer]") {
  const gaussian_model model(Eigen::VectorXd::LinSpaced(3, -1, 1), correlated_covariance(3, 2));
  const sx::nuts options{.chains = 3,
                         .warmup = 200,
                         .draws = 150,
                         .seed = 12,
                         .metric = sx::metric::dense,
                         .threads = 2,
                         .progress = 0};
  const auto fit = sx::sample(model, options);
  const auto chains = sx::sample_chains(model, options);
  REQUIRE(fit.num_chains() == 3);
  CHECK(fit.num_draws() == 450);
  const Eigen::MatrixXd x = fit.draws<"x">();
  REQUIRE(x.rows() == 450);
  REQUIRE(x.cols() == 3);
  for (int c = 0; c < 3; ++c)
    CHECK((x.middleRows(150 * c, 150).array() ==
           chains[static_cast<std::size_t>(c)].draws.middleCols(first_output_col, 3).array())
              .all());
  CHECK(fit.info().algorithm == "nuts");
  CHECK(fit.info().engine == "nuts");
  CHECK(fit.info().metric == "dense_e");
  CHECK(fit.info().max_depth == 10);
  CHECK(fit.info().num_samples == 150);
  CHECK(fit.info().num_warmup == 200);
  CHECK(fit.info().seed == 12);
  CHECK(fit.info().threads == 2);
  CHECK(fit.step_sizes()[1] == chains[1].step_size);

  const auto hmc_fit = sx::sample(
      model,
      sx::hmc{.steps = 4, .chains = 2, .warmup = 100, .draws = 100, .threads = 1, .progress = 0});
  CHECK(hmc_fit.info().engine == "static");
  CHECK(hmc_fit.info().hmc_steps == 4);
  CHECK(hmc_fit.info().metric == "diag_e");
  CHECK(hmc_fit.num_draws() == 200);
}

TEST_CASE("sample() prints the fit's warnings unless progress is 0", "[infer]") {
  const funnel_model model(2);
  const sx::nuts loud{.chains = 2, .warmup = 300, .draws = 300, .seed = 4, .progress = 1};
  sx::nuts quiet = loud;
  quiet.progress = 0;

  stderr_capture capture_quiet;
  const auto quiet_fit = sx::sample(model, quiet);
  const std::string quiet_text = capture_quiet.finish();
  CHECK(quiet_text.empty());
  REQUIRE(quiet_fit.num_divergent() > 0);

  stderr_capture capture_loud;
  const auto loud_fit = sx::sample(model, loud);
  const std::string loud_text = capture_loud.finish();
  CHECK(loud_fit.num_divergent() == quiet_fit.num_divergent()); // same seed, same draws
  for (const std::string& warning : loud_fit.warnings())
    CHECK(loud_text.find(warning) != std::string::npos);
  CHECK(loud_text.find("diverg") != std::string::npos);
  CHECK(loud_text.find("chain 2") != std::string::npos); // progress lines
}

TEST_CASE("sample() returns what it has when stopped, even during warm-up", "[infer]") {
  const gaussian_model model(Eigen::VectorXd::Zero(2), Eigen::MatrixXd::Identity(2, 2));
  std::atomic<bool> stop{true};
  sx::nuts options{.chains = 2, .warmup = 100, .draws = 100, .seed = 1, .progress = 0};
  options.stop = &stop;
  const auto fit = sx::sample(model, options);
  CHECK(fit.num_draws() == 0);
  for (const auto& c : fit.chains())
    CHECK(c.stopped_early);
}

TEST_CASE("a warm restart takes its state from a previous fit", "[infer]") {
  const gaussian_model model(Eigen::VectorXd::LinSpaced(3, -1, 1), correlated_covariance(3, 6));
  const auto first = sx::sample(
      model, sx::nuts{.chains = 2, .warmup = 300, .draws = 50, .seed = 3, .progress = 0});
  sx::nuts next{.chains = 2, .warmup = 0, .draws = 50, .seed = 4, .progress = 0};
  next.step_size = first.step_sizes()[0];
  next.inv_metric = first.inv_metrics()[0];
  next.init_positions = first.last_positions();
  next.adapt = false;
  const auto second = sx::sample(model, next);
  for (const auto& c : second.chains()) {
    CHECK(c.step_size == first.step_sizes()[0]);
    CHECK((c.inv_metric.array() == first.inv_metrics()[0].array()).all());
  }
  CHECK((second.draws("stepsize__").array() == first.step_sizes()[0]).all());
}
