#pragma once

// Comparison of a fit with posteriordb's reference summaries (shared by the
// posteriordb tests): mean within 4 combined Monte Carlo standard errors,
// z = (mean - ref) / sqrt(mcse^2 + mcse_ref^2), sd within a tolerance of the
// reference sd, R-hat below a bound; the table is printed for every posterior.

#include "posteriordb_data.hpp"

#include <statix/diagnostics/summary.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace statix_test {

namespace sx = statix;

struct timed_fit_seconds {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

// One parameter's estimate next to its reference.
struct comparison {
  std::string name;
  double mean, ref_mean, z, sd, ref_sd, sd_ratio, r_hat, ess_bulk;
};

inline std::string format_table(const std::string& posterior, const std::vector<comparison>& rows,
                                double seconds, long long divergent, int chains, int draws) {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%s: %d x %d draws in %.2f s, %lld divergent\n",
                posterior.c_str(), chains, draws, seconds, divergent);
  out << line;
  std::snprintf(line, sizeof line, "  %-10s %11s %11s %7s %10s %10s %8s %7s %9s\n", "name", "mean",
                "ref mean", "z", "sd", "ref sd", "sd ratio", "r_hat", "ess_bulk");
  out << line;
  double worst_z = 0, worst_sd = 1, worst_rhat = 0;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line,
                  "  %-10s %11.4f %11.4f %7.2f %10.4f %10.4f %8.3f %7.4f %9.0f\n", r.name.c_str(),
                  r.mean, r.ref_mean, r.z, r.sd, r.ref_sd, r.sd_ratio, r.r_hat, r.ess_bulk);
    out << line;
    if (std::abs(r.z) > std::abs(worst_z)) worst_z = r.z;
    if (std::abs(r.sd_ratio - 1) > std::abs(worst_sd - 1)) worst_sd = r.sd_ratio;
    worst_rhat = std::max(worst_rhat, r.r_hat);
  }
  std::snprintf(line, sizeof line, "  worst z %.2f, worst sd ratio %.3f, largest r_hat %.4f\n",
                worst_z, worst_sd, worst_rhat);
  out << line;
  return out.str();
}

// Compares every reference parameter with the fit's summary row of the same
// name (or of the name `rename` maps it to) and prints the table, headed by
// the posterior's name and `note`.
template <class Fit>
std::vector<comparison> compare(const std::string& posterior, const Fit& fit, double seconds,
                                const std::map<std::string, std::string>& rename = {},
                                const std::string& note = "") {
  const auto summary = fit.summary();
  std::vector<comparison> rows;
  for (const reference_row& ref : load_reference(posterior)) {
    const auto renamed = rename.find(ref.name);
    const std::string name = renamed == rename.end() ? ref.name : renamed->second;
    const sx::summary_row* row = summary.find(name);
    INFO(posterior << ": the fit has no summary row " << name);
    REQUIRE(row != nullptr);
    const double combined_mcse =
        std::sqrt(row->mcse_mean * row->mcse_mean + ref.mcse_mean * ref.mcse_mean);
    rows.push_back({ref.name, row->mean, ref.mean, (row->mean - ref.mean) / combined_mcse, row->sd,
                    ref.sd, row->sd / ref.sd, row->r_hat, row->ess_bulk});
  }
  std::cout << format_table(posterior + note, rows, seconds, fit.num_divergent(), fit.num_chains(),
                            static_cast<int>(fit.chains().front().draws.rows()))
            << std::flush;
  return rows;
}

inline void check_rows(const std::vector<comparison>& rows, double max_r_hat = 1.01,
                       double sd_tolerance = 0.2) {
  for (const auto& r : rows) {
    INFO(r.name << ": mean " << r.mean << " (reference " << r.ref_mean << ", z = " << r.z
                << "), sd " << r.sd << " (reference " << r.ref_sd << "), r_hat " << r.r_hat);
    CHECK(std::abs(r.z) < 4.0);
    CHECK(std::abs(r.sd_ratio - 1.0) < sd_tolerance);
    CHECK(r.r_hat < max_r_hat);
  }
}

} // namespace statix_test
