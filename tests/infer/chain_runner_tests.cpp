#include "test_models.hpp"

#include <statix/infer/chain_runner.hpp>
#include <statix/infer/initial_point.hpp>
#include <statix/infer/sample_chains.hpp>
#include <statix/io/progress.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

using namespace test_models;
namespace sx = statix;

namespace {

gaussian_model small_gaussian() {
  return gaussian_model(Eigen::VectorXd::LinSpaced(5, -1, 1), correlated_covariance(5, 8));
}

bool identical(const std::vector<sx::chain_result>& a, const std::vector<sx::chain_result>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t c = 0; c < a.size(); ++c) {
    if (a[c].draws.rows() != b[c].draws.rows() || a[c].draws.cols() != b[c].draws.cols())
      return false;
    // Bit for bit, not approximately.
    if ((a[c].draws.array() != b[c].draws.array()).any()) return false;
    if (a[c].step_size != b[c].step_size ||
        (a[c].inv_metric.array() != b[c].inv_metric.array()).any())
      return false;
  }
  return true;
}

std::string read_all(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    text.append(buffer, n);
  return text;
}

} // namespace

TEST_CASE("the same seed gives bit-identical draws whatever the number of threads", "[infer]") {
  const gaussian_model model = small_gaussian();
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    const auto options = [&](int threads, std::uint64_t seed) {
      return sx::nuts{.chains = 4,
                      .warmup = 300,
                      .draws = 200,
                      .seed = seed,
                      .metric = kind,
                      .threads = threads,
                      .progress = 0};
    };
    const auto one = sx::sample_chains(model, options(1, 17));
    const auto two = sx::sample_chains(model, options(2, 17));
    const auto four = sx::sample_chains(model, options(4, 17));
    CHECK(identical(one, two));
    CHECK(identical(one, four));
    // A chain run on its own is the same chain.
    CHECK(identical({one[2]}, {sx::run_nuts_chain(model, options(1, 17), 2)}));
    // Chains differ from each other, and another seed gives other draws.
    CHECK((one[0].draws.array() != one[1].draws.array()).any());
    const auto other = sx::sample_chains(model, options(2, 18));
    CHECK_FALSE(identical(one, other));
    for (std::size_t c = 0; c < 4; ++c)
      CHECK(one[c].chain_id == static_cast<int>(c) + 1);
  }
  // Static HMC too.
  const sx::hmc hmc1{
      .steps = 5, .chains = 3, .warmup = 200, .draws = 100, .seed = 4, .threads = 1, .progress = 0};
  sx::hmc hmc2 = hmc1;
  hmc2.threads = 3;
  CHECK(identical(sx::sample_chains(model, hmc1), sx::sample_chains(model, hmc2)));
}

TEST_CASE("the callback receives every draw, in order, with the stored values", "[infer]") {
  const gaussian_model model = small_gaussian();
  std::mutex mutex;
  std::map<int, std::vector<std::vector<double>>> rows; // by chain id
  std::map<int, std::vector<int>> iterations;
  std::map<int, std::vector<bool>> warmup_flags;
  sx::nuts options{.chains = 3,
                   .warmup = 120,
                   .draws = 80,
                   .seed = 2,
                   .threads = 2,
                   .progress = 0,
                   .save_warmup = true};
  options.callback = [&](const sx::draw_event& e) {
    std::lock_guard<std::mutex> lock(mutex); // chains call from their own threads
    rows[e.chain].emplace_back(e.row, e.row + e.row_size);
    iterations[e.chain].push_back(e.iteration);
    warmup_flags[e.chain].push_back(e.warmup);
  };
  const auto chains = sx::sample_chains(model, options);
  REQUIRE(rows.size() == 3);
  for (const auto& c : chains) {
    const auto& r = rows[c.chain_id];
    REQUIRE(r.size() == 200);
    for (int i = 0; i < 200; ++i) {
      CHECK(iterations[c.chain_id][static_cast<std::size_t>(i)] == i);
      CHECK(warmup_flags[c.chain_id][static_cast<std::size_t>(i)] == (i < 120));
      REQUIRE(static_cast<int>(r[static_cast<std::size_t>(i)].size()) == c.draws.cols());
      const Eigen::RowVectorXd stored = i < 120 ? Eigen::RowVectorXd(c.warmup_draws.row(i))
                                                : Eigen::RowVectorXd(c.draws.row(i - 120));
      for (int j = 0; j < c.draws.cols(); ++j)
        CHECK(r[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] == stored[j]);
    }
  }
}

TEST_CASE("thin keeps every thin-th iteration of the same chain, warm-up included", "[infer]") {
  const gaussian_model model = small_gaussian();
  const auto run = [&](int thin, std::vector<int>* iterations) {
    sx::nuts options{.chains = 2,
                     .warmup = 100,
                     .draws = 50,
                     .seed = 4,
                     .threads = 1,
                     .progress = 0,
                     .save_warmup = true};
    options.thin = thin;
    if (iterations)
      options.callback = [iterations](const sx::draw_event& e) {
        if (e.chain == 1) iterations->push_back(e.iteration);
      };
    return sx::sample_chains(model, options);
  };
  const auto all = run(1, nullptr);
  std::vector<int> iterations, expected;
  const auto thinned = run(3, &iterations);
  // The callback sees the kept iterations: the first of every three, warm-up
  // and sampling counted from their own starts.
  for (int i = 0; i < 100; i += 3)
    expected.push_back(i);
  for (int i = 0; i < 50; i += 3)
    expected.push_back(100 + i);
  CHECK(iterations == expected);
  for (std::size_t c = 0; c < 2; ++c) {
    REQUIRE(thinned[c].warmup_draws.rows() == 34);
    REQUIRE(thinned[c].draws.rows() == 17);
    // Thinning only drops rows: the chain itself is the same, bit for bit.
    for (int i = 0; i < 34; ++i)
      CHECK(
          (thinned[c].warmup_draws.row(i).array() == all[c].warmup_draws.row(3 * i).array()).all());
    for (int i = 0; i < 17; ++i)
      CHECK((thinned[c].draws.row(i).array() == all[c].draws.row(3 * i).array()).all());
    CHECK(thinned[c].step_size == all[c].step_size);
  }
  sx::nuts zero{.progress = 0};
  zero.thin = 0;
  CHECK_THROWS_WITH(sx::sample_chains(model, zero), Catch::Contains("thin"));
}

TEST_CASE("raising the stop flag ends every chain after its current iteration", "[infer]") {
  const gaussian_model model = small_gaussian();
  std::atomic<bool> stop{false};
  sx::nuts options{
      .chains = 4, .warmup = 100, .draws = 1000, .seed = 3, .threads = 1, .progress = 0};
  options.stop = &stop;
  options.callback = [&](const sx::draw_event& e) {
    if (e.chain == 1 && e.iteration == 100 + 49) stop.store(true);
  };
  const auto chains = sx::sample_chains(model, options);
  REQUIRE(chains.size() == 4);
  // Chain 1 keeps the draw it was making; with one thread the others start
  // after the flag is up and stop after their first (warm-up) iteration.
  CHECK(chains[0].stopped_early);
  CHECK(chains[0].draws.rows() == 50);
  CHECK(chains[0].draws.allFinite());
  for (std::size_t c = 1; c < 4; ++c) {
    CHECK(chains[c].stopped_early);
    CHECK(chains[c].draws.rows() == 0);
    CHECK(chains[c].last_position.size() == model.dim());
  }
  // Without the flag raised nothing stops.
  stop.store(false);
  options.callback = {};
  options.draws = 20;
  for (const auto& c : sx::sample_chains(model, options)) {
    CHECK_FALSE(c.stopped_early);
    CHECK(c.draws.rows() == 20);
  }
}

TEST_CASE("a warm restart without adaptation uses the given step size and metric exactly",
          "[infer]") {
  const gaussian_model model = small_gaussian();
  for (sx::metric kind : {sx::metric::diag, sx::metric::dense}) {
    const auto first = sx::sample_chains(
        model,
        sx::nuts{
            .chains = 2, .warmup = 500, .draws = 100, .seed = 5, .metric = kind, .progress = 0});
    const sx::chain_result& previous = first[0];
    sx::nuts next{.chains = 2, .warmup = 0, .draws = 1500, .seed = 6, .progress = 0};
    next.metric = previous.dense_metric ? sx::metric::dense : sx::metric::diag;
    next.step_size = previous.step_size * 0.9; // anything given is used as is
    next.inv_metric = previous.inv_metric;
    next.init_positions = {first[0].last_position, first[1].last_position};
    next.adapt = false;
    const auto restarted = sx::sample_chains(model, next);
    for (const auto& c : restarted) {
      CHECK(c.step_size == next.step_size);
      CHECK((c.draws.col(stepsize_col).array() == next.step_size).all());
      CHECK((c.inv_metric.array() == previous.inv_metric.array()).all());
      CHECK(c.dense_metric == previous.dense_metric);
      CHECK(c.draws.rows() == 1500);
    }
    // Started in the typical set, the first draws are already good.
    for (int i = 0; i < model.dim(); ++i) {
      const column_estimate e = estimate_column(restarted, first_output_col + i);
      CHECK(std::abs(e.mean - model.mean[i]) < 4 * e.mcse);
    }
    // With adaptation on, the given values only start the adaptation.
    next.adapt = true;
    next.warmup = 200;
    const auto adapted = sx::sample_chains(model, next);
    CHECK(adapted[0].step_size != next.step_size);
  }
}

TEST_CASE("adapt = false with warm-up keeps the step size through warm-up", "[infer]") {
  const gaussian_model model = small_gaussian();
  const auto chains = sx::sample_chains(model, sx::hmc{.steps = 4,
                                                       .chains = 1,
                                                       .warmup = 50,
                                                       .draws = 50,
                                                       .seed = 1,
                                                       .progress = 0,
                                                       .save_warmup = true,
                                                       .step_size = 0.125,
                                                       .adapt = false});
  CHECK((chains[0].warmup_draws.col(stepsize_col).array() == 0.125).all());
  CHECK((chains[0].draws.col(stepsize_col).array() == 0.125).all());
  CHECK((chains[0].inv_metric.array() == 1.0).all()); // identity when none given
}

TEST_CASE("initial values: by name, random elsewhere, retried, and clear errors", "[infer]") {
  const positive_scale_model model;
  sx::hamiltonian_system<positive_scale_model> system(model, sx::metric::diag);
  sx::phase_point z(2);
  sx::random::philox rng(1, 0);
  const sx::named_values inits = {{"sigma", {2.0}}};
  sx::initial_point_request request;
  request.inits = &inits;
  request.radius = 0.5;
  for (int i = 0; i < 20; ++i) {
    sx::find_initial_point(system, request, z, rng);
    CHECK(z.q[1] == std::log(2.0)); // given, through the model's transform
    CHECK(std::abs(z.q[0]) < 0.5);  // random in (-radius, radius)
    CHECK(z.log_density == model.log_density(z.q, {.jacobian = true, .propto = true}));
  }
  // The model's own checks reach the caller.
  const sx::named_values unknown = {{"tau", {1.0}}};
  request.inits = &unknown;
  CHECK_THROWS_AS(sx::find_initial_point(system, request, z, rng), std::invalid_argument);
  const sx::named_values outside = {{"sigma", {-1.0}}};
  CHECK_THROWS_AS(sx::run_nuts_chain(model, sx::nuts{.progress = 0, .inits = outside}, 0),
                  std::invalid_argument);
  // A given unconstrained position is used as is.
  const Eigen::VectorXd position = Eigen::Vector2d(0.3, -0.2);
  request = {};
  request.position = &position;
  sx::find_initial_point(system, request, z, rng);
  CHECK(z.q == position);
  const Eigen::VectorXd wrong_size = Eigen::Vector3d(0, 0, 0);
  request.position = &wrong_size;
  CHECK_THROWS_AS(sx::find_initial_point(system, request, z, rng), std::invalid_argument);

  // Nowhere finite: a clear exception after max_init_tries attempts.
  const nowhere_finite_model bad;
  sx::nuts options{.chains = 2, .warmup = 10, .draws = 10, .threads = 2, .progress = 0};
  options.max_init_tries = 7;
  try {
    sx::sample_chains(bad, options);
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    CHECK(message.find("chain 1") != std::string::npos);
    CHECK(message.find("initial") != std::string::npos);
    CHECK(message.find("7 tries") != std::string::npos);
  }
}

TEST_CASE("initial values are drawn uniformly in (-init_radius, init_radius)", "[infer]") {
  const iid_normal_model model(Eigen::VectorXd::Zero(4), Eigen::VectorXd::Ones(4));
  sx::hamiltonian_system<iid_normal_model> system(model, sx::metric::diag);
  sx::phase_point z(4);
  sx::random::philox rng(9, 0);
  sx::initial_point_request request;
  request.radius = 2.0;
  Eigen::VectorXd lo = Eigen::VectorXd::Constant(4, 1e9), hi = -lo, sum = Eigen::VectorXd::Zero(4);
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    sx::find_initial_point(system, request, z, rng);
    lo = lo.cwiseMin(z.q);
    hi = hi.cwiseMax(z.q);
    sum += z.q;
  }
  CHECK(lo.minCoeff() > -2.0);
  CHECK(hi.maxCoeff() < 2.0);
  CHECK(lo.maxCoeff() < -1.95);
  CHECK(hi.minCoeff() > 1.95);
  // Uniform(-2, 2) has variance 4/3: the mean of n draws has sd 0.018.
  CHECK((sum / n).cwiseAbs().maxCoeff() < 0.08);
}

TEST_CASE("bad options are rejected before any chain runs", "[infer]") {
  const gaussian_model model = small_gaussian();
  CHECK_THROWS_AS(sx::sample_chains(model, sx::nuts{.chains = 0}), std::invalid_argument);
  CHECK_THROWS_AS(sx::sample_chains(model, sx::nuts{.target_accept = 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(sx::sample_chains(model, sx::nuts{.max_depth = 0}), std::invalid_argument);
  CHECK_THROWS_AS(sx::sample_chains(model, sx::hmc{.steps = 0}), std::invalid_argument);
  sx::nuts wrong_metric{.progress = 0};
  wrong_metric.inv_metric = Eigen::VectorXd::Ones(3); // the model has 5 dimensions
  CHECK_THROWS_AS(sx::sample_chains(model, wrong_metric), std::invalid_argument);
  sx::nuts negative_step{.progress = 0};
  negative_step.step_size = -1;
  CHECK_THROWS_AS(sx::run_nuts_chain(model, negative_step, 0), std::invalid_argument);
}

TEST_CASE("an exception in one chain reaches the caller", "[infer]") {
  const gaussian_model model = small_gaussian();
  sx::nuts options{.chains = 4, .warmup = 50, .draws = 50, .threads = 2, .progress = 0};
  options.callback = [](const sx::draw_event& e) {
    if (e.chain == 3 && e.iteration == 10) throw std::domain_error("from the callback");
  };
  CHECK_THROWS_AS(sx::sample_chains(model, options), std::domain_error);
}

TEST_CASE("warm-up shorter than the default windows still adapts", "[infer]") {
  const gaussian_model model = small_gaussian();
  // 100 iterations: the 15% / 75% / 10% schedule; 10: step size only.
  for (int warmup : {100, 10}) {
    const auto chains = sx::sample_chains(
        model, sx::nuts{.chains = 1, .warmup = warmup, .draws = 10, .seed = 1, .progress = 0});
    CHECK(chains[0].step_size > 0);
    CHECK(chains[0].step_size != 1.0);
    const bool metric_adapted = (chains[0].inv_metric.array() != 1.0).any();
    CHECK(metric_adapted == (warmup == 100));
  }
  // No warm-up: the step size is used as given.
  const auto none = sx::sample_chains(
      model, sx::nuts{.chains = 1, .warmup = 0, .draws = 10, .seed = 1, .progress = 0});
  CHECK(none[0].step_size == 1.0);
  CHECK(none[0].draws.rows() == 10);
}

TEST_CASE("progress lines name the chain, phase, rate and divergences", "[infer]") {
  CHECK_FALSE(sx::progress_enabled(0));
  CHECK(sx::progress_enabled(1));
  {
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    {
      sx::progress_display progress(2, 10, 10, /*terminal=*/false, out);
      for (int i = 1; i <= 20; ++i) {
        progress.update(0, i, i > 10 ? 1 : 0);
        progress.update(1, i, 0);
      }
    }
    const std::string text = read_all(out);
    std::fclose(out);
    // One line per tenth of the iterations, per chain.
    int lines = 0;
    for (char ch : text)
      lines += ch == '\n';
    CHECK(lines == 20);
    CHECK(text.find("chain 1") != std::string::npos);
    CHECK(text.find("chain 2") != std::string::npos);
    CHECK(text.find("warm-up") != std::string::npos);
    CHECK(text.find("sampling") != std::string::npos);
    CHECK(text.find("20/20") != std::string::npos);
    CHECK(text.find("it/s") != std::string::npos);
    CHECK(text.find("1 divergent") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos); // no escapes outside a terminal
  }
  {
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    sx::progress_display progress(3, 5, 5, /*terminal=*/true, out);
    progress.update(0, 1, 0); // first draw is immediate
    progress.update(1, 2, 0); // within 0.1 s: not redrawn
    progress.finish();
    const std::string text = read_all(out);
    std::fclose(out);
    CHECK(text.find("chain 3") != std::string::npos);
    CHECK(text.find("\x1b[3F") != std::string::npos); // the final redraw moves up over 3 lines
    int lines = 0;
    for (char ch : text)
      lines += ch == '\n';
    CHECK(lines == 6); // two draws of three lines
  }
  {
    // Many chains share one summary line.
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    sx::progress_display progress(12, 5, 5, /*terminal=*/true, out);
    for (int c = 0; c < 12; ++c)
      progress.update(c, c < 3 ? 10 : 4, c == 0 ? 2 : 0);
    progress.finish();
    const std::string text = read_all(out);
    std::fclose(out);
    CHECK(text.find("12 chains: 3 done, 9 running; 66/120 iterations, 2 divergent") !=
          std::string::npos);
    CHECK(text.find("chain 1 ") == std::string::npos);
  }
}
