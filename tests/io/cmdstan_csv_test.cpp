#include <statix/io/cmdstan_csv.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp directory, removed afterwards.
struct scratch_directory {
  fs::path path;
  explicit scratch_directory(const std::string& name)
      : path(fs::temp_directory_path() / ("statix_io_test_" + name)) {
    fs::remove_all(path);
  }
  ~scratch_directory() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
  for (const auto& line : lines)
    if (line == wanted) return true;
  return false;
}

std::size_t index_of_line(const std::vector<std::string>& lines, const std::string& wanted) {
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i] == wanted) return i;
  return lines.size();
}

bool bitwise_equal(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

// Columns as the samplers produce them for an eight-schools-like model.
std::vector<std::string> eight_schools_columns() {
  std::vector<std::string> names = statix::sampler_column_names();
  names.emplace_back("mu");
  names.emplace_back("tau");
  for (int k = 1; k <= 8; ++k)
    names.push_back("theta." + std::to_string(k));
  return names;
}

statix::chain_result random_chain(int id, int draws, int warmup, std::uint64_t seed) {
  statix::chain_result chain;
  chain.chain_id = id;
  chain.column_names = eight_schools_columns();
  const auto width = static_cast<Eigen::Index>(chain.column_names.size());
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 3.0);
  chain.draws.resize(draws, width);
  chain.warmup_draws.resize(warmup, width);
  for (Eigen::Index i = 0; i < chain.draws.size(); ++i)
    chain.draws.data()[i] = normal(rng) / 7.0;
  for (Eigen::Index i = 0; i < chain.warmup_draws.size(); ++i)
    chain.warmup_draws.data()[i] = normal(rng) * 1e-7;
  chain.step_size = 0.3141592653589793;
  chain.inv_metric = Eigen::VectorXd::LinSpaced(10, 0.1, 1.0 / 3.0);
  chain.warmup_seconds = 0.125;
  chain.sampling_seconds = 0.5;
  return chain;
}

// A CmdStan 2.35 output file (bernoulli example, first draws only), in the
// layout CmdStan writes.
const char* const cmdstan_bernoulli_csv = R"(# stan_version_major = 2
# stan_version_minor = 35
# stan_version_patch = 0
# model = bernoulli_model
# start_datetime = 2024-10-17 18:13:44 UTC
# method = sample (Default)
#   sample
#     num_samples = 1000 (Default)
#     num_warmup = 1000 (Default)
#     save_warmup = false (Default)
#     thin = 1 (Default)
#     adapt
#       engaged = true (Default)
#       gamma = 0.05 (Default)
#       delta = 0.8 (Default)
#       kappa = 0.75 (Default)
#       t0 = 10 (Default)
#       init_buffer = 75 (Default)
#       term_buffer = 50 (Default)
#       window = 25 (Default)
#       save_metric = false (Default)
#     algorithm = hmc (Default)
#       hmc
#         engine = nuts (Default)
#           nuts
#             max_depth = 10 (Default)
#         metric = diag_e (Default)
#         metric_file =  (Default)
#         stepsize = 1 (Default)
#         stepsize_jitter = 0 (Default)
#     num_chains = 1 (Default)
# id = 1 (Default)
# data
#   file = examples/bernoulli/bernoulli.data.json
# init = 2 (Default)
# random
#   seed = 86520
# output
#   file = bernoulli-20241017141344_1.csv
#   diagnostic_file =  (Default)
#   refresh = 100 (Default)
#   sig_figs = -1 (Default)
#   profile_file = profile.csv (Default)
#   save_cmdstan_config = false (Default)
# num_threads = 1 (Default)
# stanc_version = stanc3 v2.35.0
# stancflags = 
lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta
# Adaptation terminated
# Step size = 0.883328
# Diagonal elements of inverse mass matrix:
# 0.512256
-6.80778,0.991604,0.883328,2,3,0,6.81551,0.208532
-6.80778,0.676659,0.883328,1,3,0,9.01984,0.208532
-11.053,0.593184,0.883328,3,7,0,11.0857,0.0272877
-10.8526,1,0.883328,1,1,0,11.3097,0.0293594
-10.9957,0.926907,0.883328,2,7,0,11.355,0.661812
# 
#  Elapsed Time: 0.003 seconds (Warm-up)
#                0.009 seconds (Sampling)
#                0.012 seconds (Total)
# 
)";

void check_bernoulli(const statix::csv_file& file) {
  REQUIRE(file.column_names.size() == 8);
  CHECK(file.column_names.front() == "lp__");
  CHECK(file.column_names.back() == "theta");
  REQUIRE(file.draws.rows() == 5);
  CHECK(file.warmup_draws.rows() == 0);
  CHECK(file.draws(0, 0) == -6.80778);
  CHECK(file.draws(2, 3) == 3.0);
  CHECK(file.draws(4, 7) == 0.661812);
  CHECK(file.column("theta")(3) == 0.0293594);
  CHECK(file.step_size == 0.883328);
  REQUIRE(file.inv_metric.rows() == 1);
  REQUIRE(file.inv_metric.cols() == 1);
  CHECK(file.inv_metric(0, 0) == 0.512256);
  CHECK(file.config.at("model") == "bernoulli_model");
  CHECK(file.config.at("method") == "sample");
  CHECK(file.config.at("num_samples") == "1000");
  CHECK(file.config.at("delta") == "0.8");
  CHECK(file.config.at("adapt.delta") == "0.8");
  CHECK(file.config.at("nuts.max_depth") == "10");
  CHECK(file.config.at("seed") == "86520");
  CHECK(file.config.at("random.seed") == "86520");
  CHECK(file.config.at("data.file") == "examples/bernoulli/bernoulli.data.json");
  CHECK(file.config.at("output.file") == "bernoulli-20241017141344_1.csv");
  CHECK(file.config.at("metric_file").empty());
  CHECK(file.warmup_seconds == 0.003);
  CHECK(file.sampling_seconds == 0.009);
  CHECK(file.comments.front() == "# stan_version_major = 2");
  CHECK(file.comments.size() == 47 + 4 + 5); // configuration, adaptation, timing
}

} // namespace

TEST_CASE("CSV round trip gives bit-identical draws and CmdStan's header", "[io]") {
  scratch_directory scratch("round_trip");
  std::vector<statix::chain_result> chains = {random_chain(1, 40, 0, 1), random_chain(2, 40, 0, 2)};
  // Values that need every digit, and the special ones.
  Eigen::MatrixXd& d = chains[0].draws;
  d(0, 7) = 1.0 / 3.0;
  d(1, 7) = 5e-324; // smallest subnormal
  d(2, 7) = std::numeric_limits<double>::max();
  d(3, 7) = -0.0;
  d(4, 7) = std::numeric_limits<double>::infinity();
  d(5, 7) = -std::numeric_limits<double>::infinity();
  d(6, 7) = 0.1 + 0.2;
  d(7, 7) = 123456789012345678.0;
  statix::run_info info;
  info.num_samples = 40;
  info.num_warmup = 0;
  info.seed = 20240601;
  statix::write_csv(scratch.path / "out" / "fit.csv", chains, info, "eight_schools");

  for (int c = 1; c <= 2; ++c) {
    const fs::path file = scratch.path / "out" / ("fit_" + std::to_string(c) + ".csv");
    REQUIRE(fs::exists(file));
    const statix::csv_file read = statix::read_csv(file);
    CHECK(read.column_names == chains[static_cast<std::size_t>(c - 1)].column_names);
    CHECK(bitwise_equal(read.draws, chains[static_cast<std::size_t>(c - 1)].draws));
    CHECK(read.step_size == chains[0].step_size);
    CHECK(bitwise_equal(read.inv_metric, chains[0].inv_metric));
    CHECK(read.config.at("id") == std::to_string(c));
    CHECK(read.config.at("seed") == "20240601");
    CHECK(read.config.at("model") == "eight_schools");
    CHECK(read.config.at("output.file") == "fit_" + std::to_string(c) + ".csv");
    CHECK(read.warmup_seconds == 0.125);
    CHECK(read.sampling_seconds == 0.5);

    const auto lines = read_lines(file);
    CHECK(has_line(lines, "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,"
                          "energy__,mu,tau,theta.1,theta.2,theta.3,theta.4,theta.5,theta.6,"
                          "theta.7,theta.8"));
  }
  // NaN has no bit pattern to keep; it must still come back as NaN.
  chains[0].draws(8, 8) = std::numeric_limits<double>::quiet_NaN();
  statix::write_csv(scratch.path / "nan.csv", {chains[0]}, info);
  CHECK(std::isnan(statix::read_csv(scratch.path / "nan_1.csv").draws(8, 8)));
}

TEST_CASE("More than 64 chains go to one file with a chain__ column", "[io]") {
  scratch_directory scratch("many_chains");
  std::vector<statix::chain_result> chains;
  for (int c = 1; c <= 65; ++c)
    chains.push_back(random_chain(c, 3, 2, static_cast<std::uint64_t>(c)));
  statix::run_info info;
  info.algorithm = "chees";
  info.engine = "chees";
  info.num_samples = 3;
  info.num_warmup = 2;
  info.num_chains = 65;
  info.save_warmup = true;
  statix::write_csv(scratch.path / "fit.csv", chains, info);
  CHECK_FALSE(fs::exists(scratch.path / "fit_1.csv"));
  const statix::csv_file read = statix::read_csv(scratch.path / "fit.csv");
  REQUIRE(read.column_names.size() == chains[0].column_names.size() + 1);
  CHECK(read.column_names[0] == "chain__");
  REQUIRE(read.draws.rows() == 65 * 3);
  REQUIRE(read.warmup_draws.rows() == 65 * 2);
  for (int c = 0; c < 65; ++c) {
    for (int r = 0; r < 3; ++r) {
      CHECK(read.draws(3 * c + r, 0) == c + 1);
      CHECK(bitwise_equal(Eigen::MatrixXd(read.draws.block(3 * c + r, 1, 1, read.draws.cols() - 1)),
                          Eigen::MatrixXd(chains[static_cast<std::size_t>(c)].draws.row(r))));
    }
    CHECK(read.warmup_draws(2 * c + 1, 0) == c + 1);
  }
  CHECK(read.config.at("engine") == "chees");
  CHECK(read.step_size == chains[0].step_size);
  // 64 chains still get a file each.
  chains.pop_back();
  statix::write_csv(scratch.path / "few.csv", chains, info);
  CHECK(fs::exists(scratch.path / "few_64.csv"));
}

TEST_CASE("Written files follow CmdStan's comment layout", "[io]") {
  scratch_directory scratch("layout");
  statix::run_info info; // CmdStan's defaults: 1000/1000, delta 0.8, depth 10, diag_e
  info.seed = 7;
  statix::write_csv(scratch.path / "fit.csv", {random_chain(1, 5, 0, 3)}, info);
  const auto lines = read_lines(scratch.path / "fit_1.csv");
  for (const char* expected : {"# model = statix_model",
                               "# method = sample (Default)",
                               "#   sample",
                               "#     num_samples = 1000 (Default)",
                               "#     num_warmup = 1000 (Default)",
                               "#     save_warmup = 0 (Default)",
                               "#     thin = 1 (Default)",
                               "#     adapt",
                               "#       engaged = 1 (Default)",
                               "#       delta = 0.8 (Default)",
                               "#     algorithm = hmc (Default)",
                               "#       hmc",
                               "#         engine = nuts (Default)",
                               "#           nuts",
                               "#             max_depth = 10 (Default)",
                               "#         metric = diag_e (Default)",
                               "# id = 1 (Default)",
                               "# random",
                               "#   seed = 7",
                               "# Adaptation terminated",
                               "# Step size = 0.3141592653589793",
                               "# Diagonal elements of inverse mass matrix:",
                               "# ",
                               "#  Elapsed Time: 0.125 seconds (Warm-up)",
                               "#                0.5 seconds (Sampling)",
                               "#                0.625 seconds (Total)"})
    CHECK(has_line(lines, expected));
  // Order: configuration, header, adaptation, draws, timing.
  const std::size_t header = index_of_line(lines, "lp__,accept_stat__,stepsize__,treedepth__,"
                                                  "n_leapfrog__,divergent__,energy__,mu,tau,"
                                                  "theta.1,theta.2,theta.3,theta.4,theta.5,"
                                                  "theta.6,theta.7,theta.8");
  const std::size_t adaptation = index_of_line(lines, "# Adaptation terminated");
  CHECK(index_of_line(lines, "#   seed = 7") < header);
  CHECK(adaptation == header + 1);
  CHECK(lines[adaptation + 3].rfind("# 0.1, ", 0) == 0);
  CHECK(lines[adaptation + 4].front() != '#'); // first draw
  CHECK(lines.back() == "# ");
}

TEST_CASE("Saved warm-up rows come before the adaptation comments", "[io]") {
  scratch_directory scratch("warmup");
  statix::run_info info;
  info.save_warmup = true;
  info.num_warmup = 6;
  info.num_samples = 9;
  const statix::chain_result chain = random_chain(3, 9, 6, 4);
  statix::write_csv(scratch.path / "fit.csv", {chain}, info);
  const fs::path file = scratch.path / "fit_3.csv";
  const auto lines = read_lines(file);
  const std::size_t adaptation = index_of_line(lines, "# Adaptation terminated");
  const std::size_t header = index_of_line(lines, "#     save_warmup = 1") + 1;
  CHECK(adaptation > header + 6); // header row, then six warm-up rows
  const statix::csv_file read = statix::read_csv(file);
  CHECK(bitwise_equal(read.warmup_draws, chain.warmup_draws));
  CHECK(bitwise_equal(read.draws, chain.draws));
  CHECK(read.config.at("save_warmup") == "1");
}

TEST_CASE("Dense and unit metrics are written and read as CmdStan does", "[io]") {
  scratch_directory scratch("metric");
  statix::chain_result chain = random_chain(1, 4, 0, 5);
  chain.dense_metric = true;
  Eigen::MatrixXd dense(3, 3);
  dense << 2.0, 0.5, 0.1, //
      0.5, 1.0, 0.2,      //
      0.1, 0.2, 1.0 / 3.0;
  chain.inv_metric = dense;
  statix::run_info info;
  info.metric = "dense_e";
  statix::write_csv(scratch.path / "dense.csv", {chain}, info);
  const auto lines = read_lines(scratch.path / "dense_1.csv");
  CHECK(has_line(lines, "# Elements of inverse mass matrix:"));
  CHECK(has_line(lines, "# 2, 0.5, 0.1"));
  CHECK(has_line(lines, "#         metric = dense_e"));
  const statix::csv_file read = statix::read_csv(scratch.path / "dense_1.csv");
  CHECK(bitwise_equal(read.inv_metric, dense));
  CHECK(read.draws.rows() == 4);

  info.metric = "unit_e";
  chain.dense_metric = false;
  statix::write_csv(scratch.path / "unit.csv", {chain}, info);
  CHECK(has_line(read_lines(scratch.path / "unit_1.csv"), "# No free parameters for unit metric"));
  const statix::csv_file unit = statix::read_csv(scratch.path / "unit_1.csv");
  CHECK(unit.inv_metric.size() == 0);
  CHECK(unit.draws.rows() == 4);
}

TEST_CASE("A genuine CmdStan file gives its step size, metric and configuration", "[io]") {
  std::istringstream in(cmdstan_bernoulli_csv);
  check_bernoulli(statix::parse_csv(in));

  // The same file with CRLF line ends and blank lines.
  std::string windows;
  for (const char* p = cmdstan_bernoulli_csv; *p != '\0'; ++p) {
    if (*p == '\n')
      windows += "\r\n";
    else
      windows += *p;
  }
  const auto first_row = windows.find("-6.80778");
  windows.insert(first_row, "\r\n\r\n");
  std::istringstream crlf(windows);
  check_bernoulli(statix::parse_csv(crlf));

  // And from a file on disk.
  scratch_directory scratch("cmdstan");
  fs::create_directories(scratch.path);
  {
    std::ofstream out(scratch.path / "bernoulli-1.csv", std::ios::binary);
    out << windows;
  }
  check_bernoulli(statix::read_csv(scratch.path / "bernoulli-1.csv"));
}

TEST_CASE("Reading a CmdStan dense-metric block and non-finite values", "[io]") {
  const std::string text = "# model = m\n"
                           "lp__,accept_stat__,a,b\n"
                           "# Adaptation terminated\n"
                           "# Step size = 0.211252\n"
                           "# Elements of inverse mass matrix:\n"
                           "# 25.6389, 17.3379\n"
                           "# 17.3379, 0.518757\n"
                           "-1, 0.5, inf, -inf\n"
                           "-2,1,nan,+inf\n"
                           "-3,1,NaN,1e-5\n";
  std::istringstream in(text);
  const statix::csv_file file = statix::parse_csv(in);
  CHECK(file.step_size == 0.211252);
  REQUIRE(file.inv_metric.rows() == 2);
  REQUIRE(file.inv_metric.cols() == 2);
  CHECK(file.inv_metric(0, 1) == 17.3379);
  CHECK(file.inv_metric(1, 1) == 0.518757);
  REQUIRE(file.draws.rows() == 3);
  CHECK(std::isinf(file.draws(0, 2)));
  CHECK(file.draws(0, 3) < 0);
  CHECK(std::isnan(file.draws(1, 2)));
  CHECK(file.draws(1, 3) > 0);
  CHECK(std::isnan(file.draws(2, 2)));
  CHECK(file.draws(2, 3) == 1e-5);
}

TEST_CASE("Saved warm-up rows without an adaptation block are split by num_warmup", "[io]") {
  const std::string text = "# method = sample (Default)\n"
                           "#   sample\n"
                           "#     num_samples = 2\n"
                           "#     num_warmup = 3\n"
                           "#     save_warmup = 1\n"
                           "lp__,x\n"
                           "-1,1\n-2,2\n-3,3\n-4,4\n-5,5\n";
  std::istringstream in(text);
  const statix::csv_file file = statix::parse_csv(in);
  REQUIRE(file.warmup_draws.rows() == 3);
  REQUIRE(file.draws.rows() == 2);
  CHECK(file.draws(0, 1) == 4.0);
  CHECK(file.config.at("sample.num_warmup") == "3");
  CHECK(std::isnan(file.step_size));
}

TEST_CASE("I/O failures name the file and line", "[io]") {
  scratch_directory scratch("errors");
  const fs::path missing = scratch.path / "no_such_file.csv";
  try {
    statix::read_csv(missing);
    FAIL("reading a missing file did not throw");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find(missing.string()) != std::string::npos);
  }

  std::istringstream short_row("a,b,c\n1,2,3\n4,5\n");
  try {
    statix::parse_csv(short_row, "short.csv");
    FAIL("a short row did not throw");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("short.csv, line 3") != std::string::npos);
  }
  std::istringstream bad_number("a,b\n1,x2\n");
  CHECK_THROWS_AS(statix::parse_csv(bad_number), std::runtime_error);
  std::istringstream no_header("# only comments\n");
  CHECK_THROWS_AS(statix::parse_csv(no_header), std::runtime_error);

  // A regular file where the output directory should be.
  fs::create_directories(scratch.path);
  { std::ofstream blocker(scratch.path / "blocker"); }
  const fs::path blocked = scratch.path / "blocker" / "fit.csv";
  try {
    statix::write_csv(blocked, {random_chain(1, 2, 0, 6)}, statix::run_info{});
    FAIL("writing under a file did not throw");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find((scratch.path / "blocker").string()) != std::string::npos);
  }
}

TEST_CASE("Chain file names", "[io]") {
  CHECK(statix::chain_csv_path("dir/fit.csv", 3) == fs::path("dir/fit_3.csv"));
  CHECK(statix::chain_csv_path("fit", 1) == fs::path("fit_1.csv"));
  CHECK(statix::chain_csv_path("/tmp/a.b/out.txt", 12) == fs::path("/tmp/a.b/out_12.txt"));
}
