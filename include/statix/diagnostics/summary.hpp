#pragma once

#include <statix/base/runtime_linkage.hpp>

#include <statix/diagnostics/effective_sample_size.hpp>
#include <statix/diagnostics/hdi.hpp>
#include <statix/diagnostics/mcse.hpp>
#include <statix/diagnostics/rhat.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE bool all_digits(std::string_view text);

} // namespace detail

// ArviZ-style name of a CmdStan column: "theta.1" -> "theta[1]",
// "L.2.1" -> "L[2, 1]" (indices stay 1-based, as CmdStan numbers them); names
// without numeric suffixes are returned unchanged.
STATIX_RUNTIME_INLINE std::string display_name(std::string_view column);

// CmdStan column name of an ArviZ-style name: "theta[1]" -> "theta.1",
// "L[2, 1]" -> "L.2.1"; other names are returned unchanged.
STATIX_RUNTIME_INLINE std::string column_name(std::string_view display);

// One row of the summary: ArviZ's columns for one scalar quantity.
struct summary_row {
  std::string name;   // ArviZ style, "theta[1]"
  std::string column; // CmdStan style, "theta.1"
  double mean;
  double sd; // with the n - 1 divisor, as ArviZ
  double hdi_lower;
  double hdi_upper;
  double mcse_mean;
  double mcse_sd;
  double ess_bulk;
  double ess_tail;
  double r_hat;
};

// Posterior summary, one row per scalar quantity, in the order given.
class summary_table {
public:
  summary_table() = default;
  summary_table(std::vector<summary_row> rows, double hdi_prob)
      : rows_(std::move(rows)), hdi_prob_(hdi_prob) {}

  const std::vector<summary_row>& rows() const& { return rows_; }
  // On a temporary (`for (auto& row : fit.summary().rows())`) the rows move
  // out, so the loop does not read a destroyed table.
  std::vector<summary_row> rows() && { return std::move(rows_); }
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  auto begin() const { return rows_.begin(); }
  auto end() const { return rows_.end(); }
  double hdi_prob() const { return hdi_prob_; }

  // A line printed under the table (empty: none), e.g. that the log density
  // was evaluated in single precision.
  const std::string& note() const { return note_; }
  void set_note(std::string note) { note_ = std::move(note); }

  // The row of a quantity by either of its names ("theta[1]" or "theta.1");
  // nullptr when there is none.
  const summary_row* find(std::string_view name) const {
    for (const auto& row : rows_)
      if (row.name == name || row.column == name) return &row;
    return nullptr;
  }

  // As find, but throws std::out_of_range naming the quantity when absent.
  const summary_row& row(std::string_view name) const {
    if (const summary_row* found = find(name)) return *found;
    throw std::out_of_range("statix: the summary has no row \"" + std::string(name) + "\"");
  }
  const summary_row& operator[](std::string_view name) const { return row(name); }

  // Column headers of the interval bounds as ArviZ writes them: "hdi_3%" and
  // "hdi_97%" for hdi_prob = 0.94.
  std::string hdi_lower_label() const { return hdi_label(50.0 * (1.0 - hdi_prob_)); }
  std::string hdi_upper_label() const { return hdi_label(50.0 * (1.0 + hdi_prob_)); }

  // The table as text, aligned like ArviZ's: estimates with 3 decimals, ESS as
  // whole numbers, R-hat with 2 decimals.
  std::string to_string() const {
    std::ostringstream out;
    print(out);
    return out.str();
  }

  // ArviZ's column titles, in the order of values() and cells().
  std::vector<std::string> titles() const {
    return {"mean",      "sd",      hdi_lower_label(), hdi_upper_label(),
            "mcse_mean", "mcse_sd", "ess_bulk",        "ess_tail",
            "r_hat"};
  }

  // A row's values in the order of titles().
  static std::vector<double> values(const summary_row& r) {
    return {r.mean,    r.sd,       r.hdi_lower, r.hdi_upper, r.mcse_mean,
            r.mcse_sd, r.ess_bulk, r.ess_tail,  r.r_hat};
  }

  // A row's values as the text table prints them: estimates with 3 decimals,
  // ESS as whole numbers, R-hat with 2; NaN and inf spelled out, no "-0.000".
  static std::vector<std::string> cells(const summary_row& r) {
    const std::vector<double> v = values(r);
    std::vector<std::string> text;
    text.reserve(v.size());
    for (std::size_t j = 0; j < v.size(); ++j)
      text.push_back(rounded(v[j], j == 6 || j == 7 ? 0 : j == 8 ? 2 : 3));
    return text;
  }

  void print(std::ostream& out) const {
    std::vector<std::vector<std::string>> table_cells;
    table_cells.reserve(rows_.size());
    for (const auto& r : rows_)
      table_cells.push_back(cells(r));
    const std::vector<std::string> header = titles();

    std::size_t name_width = 0;
    for (const auto& r : rows_)
      name_width = std::max(name_width, r.name.size());
    std::vector<std::size_t> widths(header.size());
    for (std::size_t j = 0; j < header.size(); ++j) {
      widths[j] = header[j].size();
      for (const auto& line : table_cells)
        widths[j] = std::max(widths[j], line[j].size());
    }
    auto pad_left = [](const std::string& text, std::size_t width) {
      return std::string(width > text.size() ? width - text.size() : 0, ' ') + text;
    };
    out << std::string(name_width, ' ');
    for (std::size_t j = 0; j < header.size(); ++j)
      out << "  " << pad_left(header[j], widths[j]);
    out << '\n';
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      out << rows_[i].name << std::string(name_width - rows_[i].name.size(), ' ');
      for (std::size_t j = 0; j < header.size(); ++j)
        out << "  " << pad_left(table_cells[i][j], widths[j]);
      out << '\n';
    }
    if (!note_.empty()) out << note_ << '\n';
  }

private:
  static std::string hdi_label(double percent) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "hdi_%g%%", percent);
    return buffer;
  }

  static std::string rounded(double value, int decimals) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-')
      text.erase(0, 1); // no "-0.000"
    return text;
  }

  std::vector<summary_row> rows_;
  double hdi_prob_ = 0.94;
  std::string note_;
};

STATIX_RUNTIME_INLINE std::ostream& operator<<(std::ostream& out, const summary_table& table);

// Summary of one scalar quantity from its draws, one column per chain. The
// location and spread (mean, sd, HDI) use every draw; the chain diagnostics
// need chains of equal length and use the first min-length draws of each.
STATIX_RUNTIME_INLINE summary_row summarize_quantity(std::string column,
                                                     const std::vector<Eigen::VectorXd>& chains,
                                                     double hdi_prob = 0.94);

// ArviZ-style summary table: `names` are the CmdStan names of the quantities
// ("theta.1"), `per_chain` holds one matrix per chain, draws x names.size().
STATIX_RUNTIME_INLINE summary_table summarize(const std::vector<std::string>& names,
                                              const std::vector<Eigen::MatrixXd>& per_chain,
                                              double hdi_prob = 0.94);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

} // namespace detail

STATIX_RUNTIME_INLINE std::string display_name(std::string_view column) {
  const auto dot = column.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::string(column);
  std::vector<std::string_view> indices;
  std::string_view rest = column.substr(dot + 1);
  while (true) {
    const auto next = rest.find('.');
    indices.push_back(rest.substr(0, next));
    if (!detail::all_digits(indices.back())) return std::string(column);
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1);
  }
  std::string name(column.substr(0, dot));
  name += '[';
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (i > 0) name += ", ";
    name += indices[i];
  }
  name += ']';
  return name;
}

STATIX_RUNTIME_INLINE std::string column_name(std::string_view display) {
  const auto open = display.find('[');
  if (open == std::string_view::npos || open == 0 || display.back() != ']')
    return std::string(display);
  std::string name(display.substr(0, open));
  std::string_view inside = display.substr(open + 1, display.size() - open - 2);
  while (true) {
    const auto comma = inside.find(',');
    std::string_view index = inside.substr(0, comma);
    while (!index.empty() && index.front() == ' ')
      index.remove_prefix(1);
    while (!index.empty() && index.back() == ' ')
      index.remove_suffix(1);
    if (!detail::all_digits(index)) return std::string(display);
    name += '.';
    name += index;
    if (comma == std::string_view::npos) break;
    inside = inside.substr(comma + 1);
  }
  return name;
}

STATIX_RUNTIME_INLINE std::ostream& operator<<(std::ostream& out, const summary_table& table) {
  table.print(out);
  return out;
}

STATIX_RUNTIME_INLINE summary_row summarize_quantity(std::string column,
                                                     const std::vector<Eigen::VectorXd>& chains,
                                                     double hdi_prob) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::Index total = 0;
  Eigen::Index shortest = chains.empty() ? 0 : chains.front().size();
  for (const auto& chain : chains) {
    total += chain.size();
    shortest = std::min(shortest, chain.size());
  }
  Eigen::MatrixXd pooled(total, 1);
  Eigen::MatrixXd by_chain(shortest, static_cast<Eigen::Index>(chains.size()));
  Eigen::Index offset = 0;
  for (std::size_t c = 0; c < chains.size(); ++c) {
    pooled.col(0).segment(offset, chains[c].size()) = chains[c];
    offset += chains[c].size();
    by_chain.col(static_cast<Eigen::Index>(c)) = chains[c].head(shortest);
  }

  summary_row row{};
  row.name = display_name(column);
  row.column = std::move(column);
  row.mean = total > 0 ? pooled.mean() : nan;
  row.sd = total > 1 ? detail::sample_sd(pooled) : nan;
  const interval bounds = total > 0 ? hdi(pooled, hdi_prob) : interval{nan, nan};
  row.hdi_lower = bounds.lower;
  row.hdi_upper = bounds.upper;
  row.mcse_mean = mcse_mean(by_chain);
  row.mcse_sd = mcse_sd(by_chain);
  row.ess_tail = ess_tail(by_chain);
  row.ess_bulk = nan;
  row.r_hat = nan;
  if (!detail::too_few_or_not_finite(by_chain)) {
    // The rank-normalised split chains serve both the bulk ESS and the bulk R-hat.
    const Eigen::MatrixXd z = rank_normalize(split_chains(by_chain));
    row.ess_bulk = ess_basic(z);
    const double bulk = rhat_basic(z);
    const double tail = rhat_tail(by_chain);
    if (!std::isnan(bulk) && !std::isnan(tail)) row.r_hat = std::max(bulk, tail);
  }
  return row;
}

STATIX_RUNTIME_INLINE summary_table summarize(const std::vector<std::string>& names,
                                              const std::vector<Eigen::MatrixXd>& per_chain,
                                              double hdi_prob) {
  if (!(hdi_prob > 0.0 && hdi_prob < 1.0))
    throw std::invalid_argument("statix: hdi probability must lie in (0, 1), got " +
                                std::to_string(hdi_prob));
  const auto width = static_cast<Eigen::Index>(names.size());
  for (std::size_t c = 0; c < per_chain.size(); ++c)
    if (per_chain[c].cols() != width)
      throw std::invalid_argument(
          "statix: chain " + std::to_string(c + 1) + " has " + std::to_string(per_chain[c].cols()) +
          " columns but the summary was given " + std::to_string(names.size()) + " names");
  std::vector<summary_row> rows;
  rows.reserve(names.size());
  std::vector<Eigen::VectorXd> chains(per_chain.size());
  for (Eigen::Index k = 0; k < width; ++k) {
    for (std::size_t c = 0; c < per_chain.size(); ++c)
      chains[c] = per_chain[c].col(k);
    rows.push_back(summarize_quantity(names[static_cast<std::size_t>(k)], chains, hdi_prob));
  }
  return summary_table(std::move(rows), hdi_prob);
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
