#include <statix/infer/fit.hpp>
#include <statix/io/cmdstan_csv.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace {

template <statix::fixed_string Name>
constexpr statix::output_slot slot_of() {
  if constexpr (Name.view() == "mu")
    return {0, 1, true};
  else if constexpr (Name.view() == "tau")
    return {1, 1, true};
  else if constexpr (Name.view() == "theta")
    return {2, 3, false};
  else
    static_assert(Name.view() == "mu", "the test model has no variable of this name");
}

// Eight-schools-like quantities: mu, tau, theta[3]. Says at compile time which
// variables are scalars through output_is_scalar.
struct declared_model {
  std::vector<std::string> output_names() const {
    return {"mu", "tau", "theta.1", "theta.2", "theta.3"};
  }
  int output_size() const { return 5; }
  template <statix::fixed_string Name>
  statix::output_slot output_range() const {
    return slot_of<Name>();
  }
  template <statix::fixed_string Name>
  static constexpr bool output_is_scalar() {
    return slot_of<Name>().is_scalar;
  }
};

// As the core model does it: variable<Name>() returns an object whose type has
// a static rank.
template <int Rank>
struct fake_variable {
  static constexpr int rank = Rank;
};
struct ranked_model {
  std::vector<std::string> output_names() const {
    return {"mu", "tau", "theta.1", "theta.2", "theta.3"};
  }
  template <statix::fixed_string Name>
  statix::output_slot output_range() const {
    return slot_of<Name>();
  }
  template <statix::fixed_string Name>
  const auto& variable() const {
    static const fake_variable<slot_of<Name>().is_scalar ? 0 : 1> v{};
    return v;
  }
};

// Only the documented interface: scalarness is a run-time fact.
struct opaque_model {
  std::vector<std::string> output_names() const {
    return {"mu", "tau", "theta.1", "theta.2", "theta.3"};
  }
  template <statix::fixed_string Name>
  statix::output_slot output_range() const {
    return slot_of<Name>();
  }
};

// Chain c (1-based), draw i: mu = 100 c + i, tau = 1 + i / 10, theta.k = 10 c + k + i;
// the sampler columns are made up but plausible.
statix::chain_result make_chain(int id, int draws, int divergences, int saturated) {
  statix::chain_result chain;
  chain.chain_id = id;
  chain.column_names = statix::sampler_column_names();
  for (const char* name : {"mu", "tau", "theta.1", "theta.2", "theta.3"})
    chain.column_names.emplace_back(name);
  chain.draws.resize(draws, 12);
  std::mt19937_64 rng(static_cast<std::uint64_t>(id));
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int i = 0; i < draws; ++i) {
    chain.draws(i, 0) = -5.0 + 0.1 * normal(rng); // lp__
    chain.draws(i, 1) = 0.9;                      // accept_stat__
    chain.draws(i, 2) = 0.5;                      // stepsize__
    chain.draws(i, 3) = i < saturated ? 10 : 3;   // treedepth__
    chain.draws(i, 4) = 7;                        // n_leapfrog__
    chain.draws(i, 5) = i < divergences ? 1 : 0;  // divergent__
    chain.draws(i, 6) = 5.0 + normal(rng);        // energy__
    chain.draws(i, 7) = 100.0 * id + i;
    chain.draws(i, 8) = 1.0 + i / 10.0;
    for (int k = 1; k <= 3; ++k)
      chain.draws(i, 8 + k) = 10.0 * id + k + i;
  }
  chain.step_size = 0.5 + 0.1 * id;
  chain.inv_metric = Eigen::VectorXd::Constant(5, static_cast<double>(id));
  chain.last_position = Eigen::VectorXd::Constant(5, -1.0 * id);
  chain.gradient_evaluations = 1000 * id;
  chain.warmup_seconds = 0.25;
  chain.sampling_seconds = 0.5;
  return chain;
}

statix::run_info make_info() {
  statix::run_info info;
  info.num_chains = 2;
  info.num_samples = 50;
  info.num_warmup = 50;
  info.seed = 1234;
  return info;
}

} // namespace

TEST_CASE("fit: typed draws by variable name, chains concatenated", "[diagnostics][fit]") {
  statix::fit f(declared_model{}, {make_chain(1, 50, 0, 0), make_chain(2, 50, 0, 0)}, make_info());
  const auto mu = f.draws<"mu">();
  STATIC_REQUIRE(std::is_same_v<std::remove_cv_t<decltype(mu)>, Eigen::VectorXd>);
  REQUIRE(mu.size() == 100);
  CHECK(mu(0) == 100.0);
  CHECK(mu(49) == 149.0);
  CHECK(mu(50) == 200.0); // chain 2 follows chain 1
  CHECK(mu(99) == 249.0);

  const auto theta = f.draws<"theta">();
  STATIC_REQUIRE(std::is_same_v<std::remove_cv_t<decltype(theta)>, Eigen::MatrixXd>);
  REQUIRE(theta.rows() == 100);
  REQUIRE(theta.cols() == 3);
  CHECK(theta(0, 0) == 11.0);
  CHECK(theta(3, 2) == 16.0);
  CHECK(theta(50, 1) == 22.0);

  CHECK(f.num_chains() == 2);
  CHECK(f.num_draws() == 100);
  CHECK(f.output_names().size() == 5);
}

TEST_CASE("fit: draws of any column by CmdStan name", "[diagnostics][fit]") {
  statix::fit f(declared_model{}, {make_chain(1, 20, 0, 0), make_chain(2, 20, 0, 0)}, make_info());
  const Eigen::VectorXd theta2 = f.draws("theta.2");
  CHECK(theta2(0) == 12.0);
  CHECK(theta2(20) == 22.0);
  CHECK(f.draws("theta[2]") == theta2);
  CHECK(f.draws("lp__").size() == 40);
  CHECK(f.draws("stepsize__")(7) == 0.5);
  const Eigen::MatrixXd by_chain = f.draws_by_chain("mu");
  REQUIRE(by_chain.rows() == 20);
  REQUIRE(by_chain.cols() == 2);
  CHECK(by_chain(3, 1) == 203.0);

  CHECK_THROWS_AS(f.draws("sigma"), std::out_of_range);
  try {
    f.draws("sigma");
  } catch (const std::out_of_range& e) {
    CHECK(std::string(e.what()).find("\"sigma\"") != std::string::npos);
    CHECK(std::string(e.what()).find("theta.3") != std::string::npos);
  }
}

TEST_CASE("fit: scalarness from the variable's rank, or matrices when unknown",
          "[diagnostics][fit]") {
  statix::fit ranked(ranked_model{}, {make_chain(1, 10, 0, 0)}, make_info());
  STATIC_REQUIRE(std::is_same_v<decltype(ranked.draws<"tau">()), Eigen::VectorXd>);
  STATIC_REQUIRE(std::is_same_v<decltype(ranked.draws<"theta">()), Eigen::MatrixXd>);
  CHECK(ranked.draws<"tau">()(5) == Approx(1.5));

  statix::fit opaque(opaque_model{}, {make_chain(1, 10, 0, 0)}, make_info());
  const auto tau = opaque.draws<"tau">();
  STATIC_REQUIRE(std::is_same_v<std::remove_cv_t<decltype(tau)>, Eigen::MatrixXd>);
  REQUIRE(tau.cols() == 1);
  CHECK(tau(5, 0) == Approx(1.5));
}

TEST_CASE("fit: summary over the model's quantities only", "[diagnostics][fit]") {
  statix::fit f(declared_model{}, {make_chain(1, 50, 0, 0), make_chain(2, 50, 0, 0)}, make_info());
  const statix::summary_table table = f.summary();
  REQUIRE(table.size() == 5);
  CHECK(table.find("lp__") == nullptr);
  CHECK(table.rows()[2].name == "theta[1]");
  // mu: 100..149 and 200..249, mean 174.5.
  CHECK(table.row("mu").mean == Approx(174.5));
  CHECK(table.row("theta[3]").mean == table.row("theta.3").mean);
  // The two chains of mu do not overlap at all.
  CHECK(table.row("mu").r_hat > 1.1);
  const Eigen::VectorXd tau = f.draws<"tau">();
  const double tau_mean = tau.mean();
  const double tau_sd = std::sqrt((tau.array() - tau_mean).square().sum() / 99.0);
  CHECK(table.row("tau").sd == Approx(tau_sd));
  // Rows of a temporary summary move out: a range-for over them reads live
  // rows (it read a destroyed table when rows() returned a reference).
  static_assert(std::is_same_v<decltype(f.summary().rows()), std::vector<statix::summary_row>>);
  std::vector<std::string> names;
  for (const auto& row : f.summary().rows())
    names.push_back(row.name);
  REQUIRE(names.size() == 5);
  CHECK(names[2] == "theta[1]");
}

TEST_CASE("fit: divergences, warnings and warm-restart state", "[diagnostics][fit]") {
  statix::fit f(declared_model{}, {make_chain(1, 200, 3, 0), make_chain(2, 200, 1, 4)},
                make_info());
  CHECK(f.num_divergent() == 4);
  const auto kinds = f.diagnostic_warnings();
  bool divergence_warned = false, depth_warned = false;
  for (const auto& w : kinds) {
    if (w.kind == statix::warning_kind::divergent_transitions) {
      divergence_warned = true;
      CHECK(w.message.find("4 of 400 (1.0%)") != std::string::npos);
    }
    if (w.kind == statix::warning_kind::max_tree_depth) {
      depth_warned = true;
      CHECK(w.message.find("4 of 400") != std::string::npos);
    }
  }
  CHECK(divergence_warned);
  CHECK(depth_warned);
  CHECK(f.warnings().size() == kinds.size());

  CHECK(f.step_sizes() == std::vector<double>{0.6, 0.7});
  REQUIRE(f.inv_metrics().size() == 2);
  CHECK(f.inv_metrics()[1](4, 0) == 2.0);
  CHECK(f.last_positions()[0](0) == -1.0);
  CHECK(f.gradient_evaluations() == 3000);
}

TEST_CASE("fit: rejects chains that do not match the model", "[diagnostics][fit]") {
  CHECK_THROWS_AS(statix::fit(declared_model{}, {}, make_info()), std::invalid_argument);
  statix::chain_result renamed = make_chain(2, 10, 0, 0);
  renamed.column_names[7] = "nu";
  CHECK_THROWS_AS(statix::fit(declared_model{}, {make_chain(1, 10, 0, 0), renamed}, make_info()),
                  std::invalid_argument);
  CHECK_THROWS_AS(statix::fit(declared_model{}, {renamed}, make_info()), std::invalid_argument);
}

TEST_CASE("fit: write_csv writes one CmdStan file per chain that reads back",
          "[diagnostics][fit]") {
  const auto dir = std::filesystem::temp_directory_path() / "statix_fit_test" / "nested";
  std::filesystem::remove_all(dir.parent_path());
  statix::fit f(declared_model{}, {make_chain(1, 30, 2, 0), make_chain(2, 30, 0, 0)}, make_info());
  f.write_csv(dir / "fit.csv");
  for (int c = 1; c <= 2; ++c) {
    const auto file = statix::read_csv(dir / ("fit_" + std::to_string(c) + ".csv"));
    CHECK(file.column_names == f.column_names());
    CHECK(file.draws == f.chains()[static_cast<std::size_t>(c - 1)].draws);
    CHECK(file.step_size == f.step_sizes()[static_cast<std::size_t>(c - 1)]);
    CHECK(file.config.at("id") == std::to_string(c));
  }
  std::filesystem::remove_all(dir.parent_path());
}
