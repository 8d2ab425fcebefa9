// Whole-path checks on a real model: the same seed gives identical CmdStan
// CSV files whatever the number of threads, and the files read back to the
// same draws under CmdStan's column names.
#include <statix/statix.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sx = statix;

namespace {

auto eight_schools() {
  Eigen::VectorXd y(8), sigma(8);
  y << 28, 8, -3, 7, -1, 1, 18, 12;
  sigma << 15, 10, 16, 11, 9, 11, 10, 18;
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta_raw = sx::normal<"theta_raw">(0.0, 1.0, sx::size(8));
  auto theta = sx::deterministic<"theta">(mu + tau * theta_raw);
  auto obs = sx::normal<"y">(theta, sigma).observe(y);
  return sx::model(mu, tau, theta_raw, theta, obs);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The file without the lines that legitimately differ between the runs: the
// timings and the recorded thread count.
std::string without_timing(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("Elapsed Time") == std::string::npos &&
        line.find("seconds") == std::string::npos && line.find("num_threads") == std::string::npos)
      out += line + "\n";
  return out;
}

} // namespace

TEST_CASE("the same seed with 1 and 2 threads gives identical CSV files", "[io][infer]") {
  const auto model = eight_schools();
  const auto dir = std::filesystem::temp_directory_path() / "statix_csv_reproducibility";
  std::filesystem::remove_all(dir);
  auto one = sx::sample(
      model,
      sx::nuts{.chains = 4, .warmup = 300, .draws = 300, .seed = 7, .threads = 1, .progress = 0});
  auto two = sx::sample(
      model,
      sx::nuts{.chains = 4, .warmup = 300, .draws = 300, .seed = 7, .threads = 2, .progress = 0});
  auto other_seed = sx::sample(
      model,
      sx::nuts{.chains = 4, .warmup = 300, .draws = 300, .seed = 8, .threads = 2, .progress = 0});
  one.write_csv((dir / "one" / "fit.csv").string());
  two.write_csv((dir / "two" / "fit.csv").string());
  other_seed.write_csv((dir / "other" / "fit.csv").string());
  for (int chain = 1; chain <= 4; ++chain) {
    const std::string name = "fit_" + std::to_string(chain) + ".csv";
    const std::string a = without_timing(read_file(dir / "one" / name));
    const std::string b = without_timing(read_file(dir / "two" / name));
    const std::string c = without_timing(read_file(dir / "other" / name));
    REQUIRE(a.size() > 1000);
    CHECK(a == b);
    CHECK(a != c);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("write_csv then read_csv gives the same draws under CmdStan's column names",
          "[io][infer]") {
  const auto model = eight_schools();
  const auto dir = std::filesystem::temp_directory_path() / "statix_csv_round_trip";
  std::filesystem::remove_all(dir);
  auto fit = sx::sample(
      model, sx::nuts{.chains = 2, .warmup = 200, .draws = 200, .seed = 3, .progress = 0});
  fit.write_csv((dir / "fit.csv").string());
  const std::vector<std::string> expected_header = {
      "lp__",        "accept_stat__", "stepsize__",  "treedepth__", "n_leapfrog__",
      "divergent__", "energy__",      "mu",          "tau",         "theta_raw.1",
      "theta_raw.2", "theta_raw.3",   "theta_raw.4", "theta_raw.5", "theta_raw.6",
      "theta_raw.7", "theta_raw.8",   "theta.1",     "theta.2",     "theta.3",
      "theta.4",     "theta.5",       "theta.6",     "theta.7",     "theta.8"};
  for (int chain = 0; chain < 2; ++chain) {
    const auto file = sx::read_csv((dir / ("fit_" + std::to_string(chain + 1) + ".csv")).string());
    CHECK(file.column_names == expected_header);
    const Eigen::MatrixXd& draws = fit.chains()[chain].draws;
    REQUIRE(file.draws.rows() == draws.rows());
    REQUIRE(file.draws.cols() == draws.cols());
    CHECK((file.draws.array() == draws.array()).all());
    CHECK(file.step_size == fit.chains()[chain].step_size);
    CHECK(file.inv_metric.size() == 10);
  }
  // typed access agrees with the columns: theta = mu + tau * theta_raw
  const Eigen::VectorXd mu = fit.draws<"mu">();
  const Eigen::VectorXd tau = fit.draws<"tau">();
  const Eigen::MatrixXd raw = fit.draws<"theta_raw">();
  const Eigen::MatrixXd theta = fit.draws<"theta">();
  REQUIRE(theta.cols() == 8);
  for (int i = 0; i < mu.size(); ++i)
    CHECK(theta(i, 3) == Approx(mu[i] + tau[i] * raw(i, 3)).epsilon(1e-12));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a thinned run's CSV records thin and reads back its warm-up and draws", "[io][infer]") {
  const auto model = eight_schools();
  const auto dir = std::filesystem::temp_directory_path() / "statix_csv_thin";
  std::filesystem::remove_all(dir);
  // With adaptation the warm-up rows end at CmdStan's adaptation comment;
  // without it read_csv counts ceil(num_warmup / thin) rows.
  for (const bool adapt : {true, false}) {
    sx::nuts options{.chains = 1,
                     .warmup = 100,
                     .draws = 40,
                     .seed = 5,
                     .progress = 0,
                     .save_warmup = true,
                     .adapt = adapt};
    options.thin = 3;
    auto fit = sx::sample(model, options);
    fit.write_csv((dir / "fit.csv").string());
    const auto file = sx::read_csv((dir / "fit_1.csv").string());
    CHECK(file.config.at("thin") == "3");
    REQUIRE(file.warmup_draws.rows() == 34);
    REQUIRE(file.draws.rows() == 14);
    CHECK((file.warmup_draws.array() == fit.chains()[0].warmup_draws.array()).all());
    CHECK((file.draws.array() == fit.chains()[0].draws.array()).all());
    CHECK(fit.draws<"mu">().size() == 14);
  }
  std::filesystem::remove_all(dir);
}
