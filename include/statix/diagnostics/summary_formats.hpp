#pragma once

// A summary table as CSV (for R, pandas or a spreadsheet) and as a Markdown
// table (for a report or an issue):
//
//   #include <statix/diagnostics/summary_formats.hpp>
//   const auto summary = fit.summary();
//   std::ofstream("summary.csv") << sx::summary_csv(summary);
//   std::cout << sx::summary_markdown(summary);
//
// The CSV file has a header row and one row per quantity: the ArviZ name
// (`theta[1]`), the CmdStan column (`theta.1`), then ArviZ's columns (mean,
// sd, hdi_3%, hdi_97%, mcse_mean, mcse_sd, ess_bulk, ess_tail, r_hat) with
// every digit a double holds (shortest round trip), NaN as "NaN". The
// Markdown table rounds as the text table does: estimates to 3 decimals, ESS
// to whole numbers, R-hat to 2.

#include <statix/diagnostics/summary.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace statix {

namespace detail {

// The shortest text that reads back as the same double.
inline std::string round_trip_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// A CSV field: quoted when it holds a comma, a quote or a line end.
inline std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

inline std::string rounded_number(double value, int decimals) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-')
    text.erase(0, 1); // no "-0.000"
  return text;
}

inline std::vector<std::string> summary_titles(const summary_table& table) {
  return {"mean",
          "sd",
          table.hdi_lower_label(),
          table.hdi_upper_label(),
          "mcse_mean",
          "mcse_sd",
          "ess_bulk",
          "ess_tail",
          "r_hat"};
}

inline std::vector<double> summary_values(const summary_row& r) {
  return {r.mean,    r.sd,       r.hdi_lower, r.hdi_upper, r.mcse_mean,
          r.mcse_sd, r.ess_bulk, r.ess_tail,  r.r_hat};
}

} // namespace detail

inline std::string summary_csv(const summary_table& table) {
  std::string out = "name,column";
  for (const std::string& title : detail::summary_titles(table))
    out += "," + detail::csv_field(title);
  out += '\n';
  for (const summary_row& row : table.rows()) {
    out += detail::csv_field(row.name) + "," + detail::csv_field(row.column);
    for (const double value : detail::summary_values(row))
      out += "," + detail::round_trip_number(value);
    out += '\n';
  }
  return out;
}

inline std::string summary_markdown(const summary_table& table) {
  const std::vector<std::string> titles = detail::summary_titles(table);
  std::string out = "| |";
  for (const std::string& title : titles)
    out += " " + title + " |";
  out += "\n|---|";
  for (std::size_t j = 0; j < titles.size(); ++j)
    out += "---:|";
  out += '\n';
  for (const summary_row& row : table.rows()) {
    out += "| " + row.name + " |";
    const std::vector<double> values = detail::summary_values(row);
    for (std::size_t j = 0; j < values.size(); ++j) {
      const int decimals = j == 6 || j == 7 ? 0 : j == 8 ? 2 : 3; // ESS, R-hat
      out += " " + detail::rounded_number(values[j], decimals) + " |";
    }
    out += '\n';
  }
  return out;
}

} // namespace statix
