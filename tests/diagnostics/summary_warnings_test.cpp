#include <statix/diagnostics/summary.hpp>
#include <statix/diagnostics/warnings.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

Eigen::MatrixXd normal_matrix(Eigen::Index rows, Eigen::Index cols, double mean, double sd,
                              std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(mean, sd);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i)
    m.data()[i] = normal(rng);
  return m;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A chain with the seven sampler columns and one parameter "x".
statix::chain_result sampler_chain(int id, const Eigen::VectorXd& energy,
                                   const Eigen::VectorXd& x) {
  statix::chain_result chain;
  chain.chain_id = id;
  chain.column_names = statix::sampler_column_names();
  chain.column_names.emplace_back("x");
  chain.draws = Eigen::MatrixXd::Zero(energy.size(), 8);
  chain.draws.col(3).setConstant(2.0); // treedepth__
  chain.draws.col(6) = energy;
  chain.draws.col(7) = x;
  return chain;
}

} // namespace

TEST_CASE("Display names are ArviZ's, 1-based", "[diagnostics][summary]") {
  CHECK(statix::display_name("theta.1") == "theta[1]");
  CHECK(statix::display_name("L.2.10") == "L[2, 10]");
  CHECK(statix::display_name("mu") == "mu");
  CHECK(statix::display_name("lp__") == "lp__");
  CHECK(statix::display_name("a.b") == "a.b");
  CHECK(statix::column_name("theta[1]") == "theta.1");
  CHECK(statix::column_name("L[2, 10]") == "L.2.10");
  CHECK(statix::column_name("L[2,10]") == "L.2.10");
  CHECK(statix::column_name("mu") == "mu");
  CHECK(statix::column_name("x[a]") == "x[a]");
}

TEST_CASE("summarize: ArviZ's columns for every quantity", "[diagnostics][summary]") {
  // Two quantities over 4 chains: a N(3, 2) and a chain-shifted one.
  std::vector<Eigen::MatrixXd> per_chain;
  for (int c = 0; c < 4; ++c) {
    Eigen::MatrixXd m(500, 2);
    m.col(0) = normal_matrix(500, 1, 3.0, 2.0, 10 + static_cast<std::uint64_t>(c));
    m.col(1) = normal_matrix(500, 1, c == 3 ? 5.0 : 0.0, 1.0, 20 + static_cast<std::uint64_t>(c));
    per_chain.push_back(m);
  }
  const statix::summary_table table = statix::summarize({"alpha", "beta.1"}, per_chain);
  REQUIRE(table.size() == 2);
  CHECK(table.hdi_lower_label() == "hdi_3%");
  CHECK(table.hdi_upper_label() == "hdi_97%");

  Eigen::MatrixXd alpha(500, 4);
  for (int c = 0; c < 4; ++c)
    alpha.col(c) = per_chain[static_cast<std::size_t>(c)].col(0);
  const statix::summary_row& a = table.row("alpha");
  CHECK(a.name == "alpha");
  CHECK(a.mean == Approx(alpha.mean()));
  CHECK(a.mean == Approx(3.0).margin(0.15));
  CHECK(a.sd == Approx(2.0).epsilon(0.05));
  const statix::interval bounds = statix::hdi(alpha, 0.94);
  CHECK(a.hdi_lower == bounds.lower);
  CHECK(a.hdi_upper == bounds.upper);
  CHECK(a.ess_bulk == statix::ess_bulk(alpha));
  CHECK(a.ess_tail == statix::ess_tail(alpha));
  CHECK(a.r_hat == statix::rhat(alpha));
  CHECK(a.mcse_mean == statix::mcse_mean(alpha));
  CHECK(a.mcse_sd == statix::mcse_sd(alpha));

  const statix::summary_row& b = table["beta[1]"];
  CHECK(b.column == "beta.1");
  CHECK(&b == &table.row("beta.1"));
  CHECK(b.r_hat > 1.1);
  CHECK(table.find("gamma") == nullptr);
  CHECK_THROWS_AS(table.row("gamma"), std::out_of_range);

  const statix::summary_table narrow = statix::summarize({"alpha", "beta.1"}, per_chain, 0.89);
  CHECK(narrow.hdi_lower_label() == "hdi_5.5%");
  CHECK(narrow.hdi_upper_label() == "hdi_94.5%");
  CHECK(narrow.row("alpha").hdi_upper < a.hdi_upper);

  CHECK_THROWS_AS(statix::summarize({"alpha"}, per_chain), std::invalid_argument);
}

TEST_CASE("summary table prints aligned like ArviZ", "[diagnostics][summary]") {
  std::vector<statix::summary_row> rows = {
      {"mu", "mu", 4.4856, 3.48712, -1.6232, 10.6931, 0.11412, 0.08101, 947.2, 1005.7, 1.0213},
      {"theta[10]", "theta.10", -0.5, 12.0, -20.25, 19.75, 0.3, 0.2, 50.49, 12.0,
       std::numeric_limits<double>::quiet_NaN()}};
  const statix::summary_table table(rows, 0.94);
  std::ostringstream out;
  out << table;
  std::istringstream lines(out.str());
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  // Name column 9 wide; each number right-aligned to the wider of its header
  // and its cells, two spaces apart.
  CHECK(header == std::string(9, ' ') + "    mean" + "      sd" + "   hdi_3%" + "  hdi_97%" +
                      "  mcse_mean" + "  mcse_sd" + "  ess_bulk" + "  ess_tail" + "  r_hat");
  CHECK(first == std::string("mu       ") + "   4.486" + "   3.487" + "   -1.623" + "   10.693" +
                     "      0.114" + "    0.081" + "       947" + "      1006" + "   1.02");
  CHECK(second == std::string("theta[10]") + "  -0.500" + "  12.000" + "  -20.250" + "   19.750" +
                      "      0.300" + "    0.200" + "        50" + "        12" + "    NaN");
  CHECK(table.to_string() == out.str());
}

TEST_CASE("E-BFMI: squared energy differences over squared deviations", "[diagnostics][warnings]") {
  // Alternating energies: every difference is 2, every deviation 1.
  Eigen::VectorXd alternating(10);
  for (int i = 0; i < 10; ++i)
    alternating(i) = (i % 2 == 0) ? 1.0 : -1.0;
  CHECK(statix::ebfmi(alternating) == Approx(4.0 * 9 / 10));
  Eigen::VectorXd linear = Eigen::VectorXd::LinSpaced(5, 0.0, 4.0);
  // Differences 1 (4 of them); deviations -2..2, squares sum to 10.
  CHECK(statix::ebfmi(linear) == Approx(0.4));
  CHECK(std::isnan(statix::ebfmi(Eigen::VectorXd::Constant(4, 2.0))));
  CHECK(std::isnan(statix::ebfmi(Eigen::VectorXd::Constant(1, 2.0))));
}

TEST_CASE("Sampler warnings: divergences, tree depth, E-BFMI", "[diagnostics][warnings]") {
  const Eigen::VectorXd x = normal_matrix(1000, 1, 0.0, 1.0, 1).col(0);
  const Eigen::VectorXd white_energy = normal_matrix(1000, 1, 10.0, 1.0, 2).col(0);
  // A slowly wandering energy (random walk): E-BFMI far below 0.3.
  Eigen::VectorXd walk(1000);
  walk(0) = 0.0;
  const Eigen::VectorXd steps = normal_matrix(1000, 1, 0.0, 0.1, 3).col(0);
  for (int i = 1; i < 1000; ++i)
    walk(i) = walk(i - 1) + steps(i);

  std::vector<statix::chain_result> chains = {sampler_chain(1, white_energy, x),
                                              sampler_chain(2, walk, x)};
  chains[0].draws(10, 5) = 1.0; // divergent__
  chains[0].draws(20, 5) = 1.0;
  chains[1].draws(30, 5) = 1.0;
  for (int i = 0; i < 5; ++i)
    chains[1].draws(i, 3) = 10.0; // treedepth__ at max_depth
  statix::run_info info;
  info.target_accept = 0.8;

  const auto warnings = statix::sampler_warnings(chains, info);
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].kind == statix::warning_kind::divergent_transitions);
  CHECK(warnings[0].message ==
        "3 of 2000 (0.1%) transitions after warm-up ended with a divergence. These divergent "
        "transitions indicate that HMC is not fully able to explore the posterior distribution. "
        "Try increasing target_accept (now 0.80) closer to 1; if divergences remain, try to "
        "reparameterize the model.");
  CHECK(warnings[1].kind == statix::warning_kind::max_tree_depth);
  CHECK(contains(warnings[1].message, "5 of 2000 (0.2%) transitions hit the maximum tree depth "
                                      "of 10, or 2^10 leapfrog steps."));
  CHECK(warnings[2].kind == statix::warning_kind::low_ebfmi);
  CHECK(contains(warnings[2].message, "Chain 2: E-BFMI = "));
  CHECK(contains(warnings[2].message, "below the nominal threshold of 0.3"));

  // Static HMC has no tree depth to saturate.
  info.algorithm = "hmc";
  for (const auto& w : statix::sampler_warnings(chains, info))
    CHECK(w.kind != statix::warning_kind::max_tree_depth);

  // A clean run has nothing to say.
  const std::vector<statix::chain_result> clean = {sampler_chain(1, white_energy, x)};
  CHECK(statix::sampler_warnings(clean, statix::run_info{}).empty());
}

TEST_CASE("Convergence warnings: R-hat above 1.01, ESS below 100 per chain",
          "[diagnostics][warnings]") {
  std::vector<Eigen::MatrixXd> per_chain;
  for (int c = 0; c < 4; ++c) {
    Eigen::MatrixXd m(400, 3);
    m.col(0) = normal_matrix(400, 1, 0.0, 1.0, 30 + static_cast<std::uint64_t>(c)); // fine
    m.col(1) = normal_matrix(400, 1, c == 0 ? 1.0 : 0.0, 1.0,
                             40 + static_cast<std::uint64_t>(c)); // one chain off
    // Highly autocorrelated: a random walk.
    const Eigen::VectorXd steps =
        normal_matrix(400, 1, 0.0, 1.0, 50 + static_cast<std::uint64_t>(c)).col(0);
    double value = 0.0;
    for (int i = 0; i < 400; ++i)
      m(i, 2) = (value += steps(i));
    per_chain.push_back(m);
  }
  const auto table = statix::summarize({"good", "shifted", "sticky.1"}, per_chain);
  const auto warnings = statix::convergence_warnings(table, 4);
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].kind == statix::warning_kind::high_rhat);
  CHECK(contains(warnings[0].message, "greater than 1.01 for 2 of 3 parameters: shifted ("));
  CHECK(contains(warnings[0].message, "sticky[1] ("));
  CHECK(!contains(warnings[0].message, "good"));
  CHECK(warnings[1].kind == statix::warning_kind::low_ess_bulk);
  // Chains that do not mix have a small bulk ESS as well.
  CHECK(contains(warnings[1].message, "smaller than 100 per chain (400 for 4 chains) for 2 of 3 "
                                      "parameters: shifted ("));
  CHECK(contains(warnings[1].message, "sticky[1] ("));
  CHECK(!contains(warnings[1].message, "good"));
  CHECK(warnings[2].kind == statix::warning_kind::low_ess_tail);

  const auto strings = statix::warning_messages(warnings);
  REQUIRE(strings.size() == 3);
  CHECK(strings[1] == warnings[1].message);
  CHECK(statix::to_string(statix::warning_kind::low_ess_tail) == "low_ess_tail");

  // Looser thresholds silence them.
  statix::warning_thresholds loose;
  loose.rhat = 10.0;
  loose.ess_per_chain = 0.0;
  CHECK(statix::convergence_warnings(table, 4, loose).empty());
}
