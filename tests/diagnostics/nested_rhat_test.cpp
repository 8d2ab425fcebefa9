// Nested R-hat (Margossian et al. 2023) against its formula worked by hand,
// its behaviour on many short chains, and the warning it raises in place of
// R-hat for runs of many chains in superchains.
#include <statix/diagnostics/nested_rhat.hpp>
#include <statix/diagnostics/summary.hpp>
#include <statix/diagnostics/warnings.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace sx = statix;

TEST_CASE("nested R-hat of a small table, worked by hand", "[diagnostics]") {
  // Superchain 1: chains (1, 2, 3) and (3, 4, 5): means 2 and 4, superchain
  // mean 3; superchain 2: chains (0, 0, 3) and (2, 2, 2): means 1 and 2,
  // superchain mean 1.5.
  Eigen::MatrixXd draws(3, 4);
  draws << 1, 3, 0, 2, //
      2, 4, 0, 2,      //
      3, 5, 3, 2;
  // Between superchains: (3 - 2.25)^2 + (1.5 - 2.25)^2 = 1.125 (K - 1 = 1).
  // Superchain 1: between its chains (2 - 3)^2 + (4 - 3)^2 = 2, within
  // (1 + 1) / 2 = 1; superchain 2: between 0.5, within (3 + 0) / 2 = 1.5.
  // W = ((2 + 1) + (0.5 + 1.5)) / 2 = 2.5.
  CHECK(sx::nested_rhat(draws, {7, 7, 9, 9}) == Approx(std::sqrt(1 + 1.125 / 2.5)).epsilon(1e-14));
  // One chain per superchain: sqrt(1 + B / W), B the variance of the chain
  // means (2, 4, 1, 2: B = sum (m - 2.25)^2 / 3 = 4.75 / 3), W the mean
  // within-chain variance (1 + 1 + 3 + 0) / 4.
  CHECK(sx::nested_rhat(draws, {1, 2, 3, 4}) ==
        Approx(std::sqrt(1 + (4.75 / 3) / 1.25)).epsilon(1e-14));
  CHECK(std::isnan(sx::nested_rhat(draws, {1, 1, 1, 1})));
  CHECK(std::isnan(sx::nested_rhat(draws, {1, 2})));
}

TEST_CASE("nested R-hat sees superchains that disagree, with chains too short for R-hat",
          "[diagnostics]") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> z;
  const int superchains = 4, chains = 256, draws = 20;
  std::vector<int> group(chains);
  for (int c = 0; c < chains; ++c)
    group[static_cast<std::size_t>(c)] = c % superchains;
  Eigen::MatrixXd x(draws, chains);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    x.data()[i] = z(rng);
  const double mixed = sx::nested_rhat(x, group);
  CHECK(mixed < 1.01);
  CHECK(mixed >= 1.0);
  // One superchain still near its start, half a posterior sd away.
  for (int c = 0; c < chains; c += superchains)
    x.col(c).array() += 0.5;
  CHECK(sx::nested_rhat(x, group) > 1.01);
}

TEST_CASE("runs of many chains in superchains are warned about by nested R-hat", "[diagnostics]") {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> z;
  std::vector<sx::chain_result> chains(64);
  std::vector<Eigen::MatrixXd> per_chain;
  for (int c = 0; c < 64; ++c) {
    sx::chain_result& r = chains[static_cast<std::size_t>(c)];
    r.chain_id = c + 1;
    r.superchain = 1 + c % 4;
    r.column_names = {"lp__", "mu", "sigma"};
    r.draws.resize(50, 3);
    for (Eigen::Index i = 0; i < r.draws.size(); ++i)
      r.draws.data()[i] = z(rng);
    if (r.superchain == 1) r.draws.col(2).array() += 0.5; // sigma's superchain 1 is off
    per_chain.push_back(r.draws.rightCols(2));
  }
  const sx::summary_table table = sx::summarize({"mu", "sigma"}, per_chain);
  sx::run_info info;
  info.algorithm = "chees";
  const auto warnings = sx::diagnose(chains, info, table);
  const auto rhat = std::find_if(warnings.begin(), warnings.end(), [](const auto& w) {
    return w.kind == sx::warning_kind::high_rhat;
  });
  REQUIRE(rhat != warnings.end());
  CHECK_THAT(rhat->message, Catch::Contains("nested R-hat over 4 superchains of 64 chains") &&
                                Catch::Contains("sigma") && !Catch::Contains("mu"));
  // Without superchains the same chains get the usual R-hat.
  for (auto& c : chains)
    c.superchain = 0;
  const auto usual = sx::diagnose(chains, info, table);
  const bool split_rhat = std::any_of(usual.begin(), usual.end(), [](const auto& w) {
    return w.message.find("rank-normalized split R-hat") != std::string::npos;
  });
  CHECK(split_rhat);
}
