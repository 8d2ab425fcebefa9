// sx::summary_csv and sx::summary_markdown (diagnostics/summary_formats.hpp):
// the CSV read back by the CSV table reader gives every value to the bit and
// the names as written; the Markdown table holds the text table's cells.
#include <statix/diagnostics/summary_formats.hpp>
#include <statix/io/csv_table.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace sx = statix;

namespace {

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;)
    if (w != "|") out.push_back(w);
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);)
    out.push_back(l);
  return out;
}

// A summary of real chains (normal draws), plus a matrix element whose name
// holds a comma and a row of NaNs.
sx::summary_table example() {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::vector<Eigen::MatrixXd> chains;
  for (int c = 0; c < 4; ++c) {
    Eigen::MatrixXd draws(200, 2);
    for (int i = 0; i < 200; ++i) {
      draws(i, 0) = 1.0 / 3.0 + normal(rng);
      draws(i, 1) = -1e-7 * normal(rng);
    }
    chains.push_back(draws);
  }
  sx::summary_table table = sx::summarize({"mu", "L.1.2"}, chains, 0.9);
  std::vector<sx::summary_row> rows = table.rows();
  sx::summary_row empty{};
  empty.name = "z";
  empty.column = "z";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  empty.mean = empty.sd = empty.hdi_lower = empty.hdi_upper = empty.mcse_mean = empty.mcse_sd =
      empty.ess_bulk = empty.ess_tail = empty.r_hat = nan;
  rows.push_back(empty);
  return sx::summary_table(rows, 0.9);
}

} // namespace

TEST_CASE("summary_csv: every value to the bit, names quoted where needed", "[diagnostics]") {
  const sx::summary_table table = example();
  REQUIRE(table.size() == 3);
  CHECK(table.rows()[1].name == "L[1, 2]");
  const std::string csv = sx::summary_csv(table);
  CHECK(lines(csv).front() ==
        "name,column,mean,sd,hdi_5%,hdi_95%,mcse_mean,mcse_sd,ess_bulk,ess_tail,r_hat");
  CHECK(csv.find("\"L[1, 2]\",L.1.2,") != std::string::npos);

  std::istringstream in(csv);
  const sx::csv_table back = sx::parse_csv_table(in, "summary.csv");
  REQUIRE(back.rows() == 3);
  CHECK(back.strings("name") == std::vector<std::string>{"mu", "L[1, 2]", "z"});
  CHECK(back.strings("column") == std::vector<std::string>{"mu", "L.1.2", "z"});
  const std::vector<std::pair<std::string, double sx::summary_row::*>> columns = {
      {"mean", &sx::summary_row::mean},           {"sd", &sx::summary_row::sd},
      {"hdi_5%", &sx::summary_row::hdi_lower},    {"hdi_95%", &sx::summary_row::hdi_upper},
      {"mcse_mean", &sx::summary_row::mcse_mean}, {"mcse_sd", &sx::summary_row::mcse_sd},
      {"ess_bulk", &sx::summary_row::ess_bulk},   {"ess_tail", &sx::summary_row::ess_tail},
      {"r_hat", &sx::summary_row::r_hat}};
  for (const auto& [name, member] : columns) {
    const Eigen::VectorXd values = back.vector(name);
    for (Eigen::Index i = 0; i < 3; ++i) {
      const double expected = table.rows()[static_cast<std::size_t>(i)].*member;
      INFO(name << " row " << i);
      if (std::isnan(expected))
        CHECK(std::isnan(values[i]));
      else
        CHECK(values[i] == expected); // to the bit
    }
  }
  // The estimates are real ones: mu's mean near 1/3.
  CHECK(std::abs(table.rows()[0].mean - 1.0 / 3.0) < 0.2);
  CHECK(std::isfinite(table.rows()[0].r_hat));
}

TEST_CASE("summary_markdown: a GitHub table with the text table's cells", "[diagnostics]") {
  const sx::summary_table table = example();
  const std::vector<std::string> md = lines(sx::summary_markdown(table));
  REQUIRE(md.size() == 2 + table.size());
  CHECK(md[0] == "| | mean | sd | hdi_5% | hdi_95% | mcse_mean | mcse_sd | ess_bulk | ess_tail | "
                 "r_hat |");
  CHECK(md[1] == "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  // Each row's cells are the text table's, in the same order.
  const std::vector<std::string> text = lines(table.to_string());
  REQUIRE(text.size() == 1 + table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    INFO(md[2 + i] << "\n" << text[1 + i]);
    CHECK(words(md[2 + i]) == words(text[1 + i]));
  }
  CHECK(md[4] == "| z | NaN | NaN | NaN | NaN | NaN | NaN | NaN | NaN | NaN |");
}
