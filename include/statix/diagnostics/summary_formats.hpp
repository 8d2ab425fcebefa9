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

} // namespace detail

inline std::string summary_csv(const summary_table& table) {
  std::string out = "name,column";
  for (const std::string& title : table.titles())
    out += "," + detail::csv_field(title);
  out += '\n';
  for (const summary_row& row : table.rows()) {
    out += detail::csv_field(row.name) + "," + detail::csv_field(row.column);
    for (const double value : summary_table::values(row))
      out += "," + detail::round_trip_number(value);
    out += '\n';
  }
  return out;
}

inline std::string summary_markdown(const summary_table& table) {
  const std::vector<std::string> titles = table.titles();
  std::string out = "| |";
  for (const std::string& title : titles)
    out += " " + title + " |";
  out += "\n|---|";
  for (std::size_t j = 0; j < titles.size(); ++j)
    out += "---:|";
  out += '\n';
  for (const summary_row& row : table.rows()) {
    out += "| " + row.name + " |";
    for (const std::string& cell : summary_table::cells(row))
      out += " " + cell + " |";
    out += '\n';
  }
  return out;
}

} // namespace statix
