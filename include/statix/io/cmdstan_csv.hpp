#pragma once

#include <statix/base/runtime_linkage.hpp>

// CmdStan's CSV output format (CmdStan guide, "Stan CSV File Format"): one
// file per chain with `#` comment lines for the configuration, a header row,
// the adaptation results (step size and inverse metric) as comments, one row
// per draw, and the timing as trailing comments. Files written here load with
// CmdStan's own tools, cmdstanpy, cmdstanr and ArviZ's from_cmdstan; read_csv
// reads CmdStan's files as well as these.

#include <statix/base/chain_result.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace statix {

// What read_csv found in one CmdStan CSV file.
struct csv_file {
  std::vector<std::string> column_names;
  Eigen::MatrixXd draws;             // post-warm-up rows, one column per name
  Eigen::MatrixXd warmup_draws;      // warm-up rows, when the file saved them
  std::vector<std::string> comments; // every comment line as written, '#' included
  double step_size = std::numeric_limits<double>::quiet_NaN(); // NaN: none written
  Eigen::MatrixXd inv_metric; // diagonal: column vector; dense: square; empty: none written
  // Configuration comments before the header, "(Default)" markers removed,
  // under both the plain key ("delta") and "section.key" ("adapt.delta").
  std::map<std::string, std::string> config;
  double warmup_seconds = std::numeric_limits<double>::quiet_NaN();
  double sampling_seconds = std::numeric_limits<double>::quiet_NaN();

  // Index of a column by name, -1 when absent.
  Eigen::Index column_index(std::string_view name) const {
    for (std::size_t i = 0; i < column_names.size(); ++i)
      if (column_names[i] == name) return static_cast<Eigen::Index>(i);
    return -1;
  }

  // The post-warm-up draws of one column; throws std::out_of_range naming it.
  Eigen::VectorXd column(std::string_view name) const {
    const Eigen::Index index = column_index(name);
    if (index < 0)
      throw std::out_of_range("statix: the CSV file has no column \"" + std::string(name) + "\"");
    return draws.col(index);
  }
};

namespace detail {

// Shortest text that reads back as the same double (std::to_chars), so a
// written file round-trips bit for bit; non-finite values as CmdStan writes them.
STATIX_RUNTIME_INLINE std::string format_csv_number(double value);

STATIX_RUNTIME_INLINE std::string_view trim(std::string_view text);

STATIX_RUNTIME_INLINE bool equals_ignoring_case(std::string_view a, std::string_view b);

// Parses a whole field as a double: decimal or scientific notation, an optional
// leading '+', and CmdStan's non-finite spellings (nan, NaN, -nan, inf, +inf,
// -inf, Infinity). False when the field is anything else.
STATIX_RUNTIME_INLINE bool parse_number(std::string_view text, double& value);

STATIX_RUNTIME_INLINE std::vector<std::string_view> split_fields(std::string_view line);

// "a, b, c" of a comment line after its '#': all fields numbers, or false.
STATIX_RUNTIME_INLINE bool parse_number_list(std::string_view text, std::vector<double>& values);

STATIX_RUNTIME_INLINE std::string join_numbers(const double* values, Eigen::Index count,
                                               std::string_view sep);

STATIX_RUNTIME_INLINE void write_rows(std::ostream& out, const Eigen::MatrixXd& rows);

STATIX_RUNTIME_INLINE std::string format_seconds(double seconds);

STATIX_RUNTIME_INLINE Eigen::MatrixXd rows_to_matrix(const std::vector<std::vector<double>>& rows,
                                                     Eigen::Index columns);

} // namespace detail

// Path of chain `id`'s file for a base path: "dir/fit.csv" -> "dir/fit_1.csv"
// (".csv" is added when the base has no extension).
STATIX_RUNTIME_INLINE std::filesystem::path chain_csv_path(const std::filesystem::path& base,
                                                           int id);

// Writes one chain in CmdStan's layout to a stream. `file_name` is recorded
// as the output file in the configuration comments.
STATIX_RUNTIME_INLINE void write_chain_csv(std::ostream& out, const chain_result& chain,
                                           const run_info& info,
                                           std::string_view model_name = "statix_model",
                                           std::string_view file_name = "");

// Every chain of a run as one table: a first column chain__ (the chain's
// id), then the chain's columns; the rows chain by chain. Step size and
// metric are the first chain's (the ensemble samplers share them), the
// times the longest chain's.
STATIX_RUNTIME_INLINE chain_result stack_chains(const std::vector<chain_result>& chains);

// Chains above which write_csv writes one file, not one per chain.
inline constexpr std::size_t max_csv_files = 64;

// Writes one CmdStan CSV file per chain: for path "dir/fit.csv", files
// "dir/fit_1.csv", "dir/fit_2.csv", ... (numbered by chain_id); with more
// than 64 chains (ensemble samplers run thousands), one file at `path` whose
// first column chain__ numbers the chains (stack_chains). Creates the
// directory if needed; throws std::runtime_error naming the path on failure.
STATIX_RUNTIME_INLINE void write_csv(const std::filesystem::path& path,
                                     const std::vector<chain_result>& chains, const run_info& info,
                                     std::string_view model_name = "statix_model");

// Reads one CmdStan CSV file from a stream. `source` names it in errors.
// Tolerates blank lines, CRLF line ends and spaces around fields; throws
// std::runtime_error naming the source and line for a malformed row.
STATIX_RUNTIME_INLINE csv_file parse_csv(std::istream& in, const std::string& source = "<stream>");

// Reads one CmdStan CSV file; throws std::runtime_error naming the path when
// it cannot be read or is malformed.
STATIX_RUNTIME_INLINE csv_file read_csv(const std::filesystem::path& path);

} // namespace statix

#if STATIX_RUNTIME_DEFINITIONS

namespace statix {

namespace detail {

STATIX_RUNTIME_INLINE std::string format_csv_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

STATIX_RUNTIME_INLINE std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

STATIX_RUNTIME_INLINE bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    const char y = (b[i] >= 'A' && b[i] <= 'Z') ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

STATIX_RUNTIME_INLINE bool parse_number(std::string_view text, double& value) {
  text = trim(text);
  bool negative = false;
  std::string_view body = text;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (equals_ignoring_case(body, "nan")) {
    value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (equals_ignoring_case(body, "inf") || equals_ignoring_case(body, "infinity")) {
    value = negative ? -std::numeric_limits<double>::infinity()
                     : std::numeric_limits<double>::infinity();
    return true;
  }
  if (body.empty() || body.front() == '+' || body.front() == '-') return false;
  const char* begin = body.data();
  const char* end = body.data() + body.size();
  const auto result = std::from_chars(begin, end, value);
  if (result.ec != std::errc() || result.ptr != end) return false;
  if (negative) value = -value;
  return true;
}

STATIX_RUNTIME_INLINE std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(
        line.substr(start, comma == std::string_view::npos ? line.npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

STATIX_RUNTIME_INLINE bool parse_number_list(std::string_view text, std::vector<double>& values) {
  values.clear();
  text = trim(text);
  if (text.empty()) return false;
  for (const auto field : split_fields(text)) {
    double v = 0;
    if (!parse_number(field, v)) return false;
    values.push_back(v);
  }
  return true;
}

STATIX_RUNTIME_INLINE std::string join_numbers(const double* values, Eigen::Index count,
                                               std::string_view sep) {
  std::string text;
  for (Eigen::Index i = 0; i < count; ++i) {
    if (i > 0) text += sep;
    text += format_csv_number(values[i]);
  }
  return text;
}

STATIX_RUNTIME_INLINE void write_rows(std::ostream& out, const Eigen::MatrixXd& rows) {
  std::string line;
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    line.clear();
    for (Eigen::Index j = 0; j < rows.cols(); ++j) {
      if (j > 0) line += ',';
      line += format_csv_number(rows(i, j));
    }
    line += '\n';
    out << line;
  }
}

STATIX_RUNTIME_INLINE std::string format_seconds(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", seconds);
  return buffer;
}

STATIX_RUNTIME_INLINE Eigen::MatrixXd rows_to_matrix(const std::vector<std::vector<double>>& rows,
                                                     Eigen::Index columns) {
  Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()), columns);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (Eigen::Index j = 0; j < columns; ++j)
      matrix(static_cast<Eigen::Index>(i), j) = rows[i][static_cast<std::size_t>(j)];
  return matrix;
}

} // namespace detail

STATIX_RUNTIME_INLINE std::filesystem::path chain_csv_path(const std::filesystem::path& base,
                                                           int id) {
  const std::string extension = base.has_extension() ? base.extension().string() : ".csv";
  std::filesystem::path file = base;
  file.replace_filename(base.stem().string() + "_" + std::to_string(id) + extension);
  return file;
}

STATIX_RUNTIME_INLINE void write_chain_csv(std::ostream& out, const chain_result& chain,
                                           const run_info& info, std::string_view model_name,
                                           std::string_view file_name) {
  const int id = chain.chain_id > 0 ? chain.chain_id : 1;
  auto line = [&out](int level, std::string_view key, const std::string& value, bool is_default) {
    out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << key << " = " << value
        << (is_default ? " (Default)" : "") << '\n';
  };
  auto section = [&out](int level, std::string_view name) {
    out << "# " << std::string(static_cast<std::size_t>(2 * level), ' ') << name << '\n';
  };
  const bool static_hmc = info.algorithm == "hmc" || info.engine == "static";
  // The ensemble samplers name themselves (chees, meads): CmdStan has neither.
  const std::string engine = static_hmc ? "static" : info.engine.empty() ? "nuts" : info.engine;

  // Configuration, in the order and nesting CmdStan 2.3x writes it.
  line(0, "model", std::string(model_name), false);
  line(0, "method", "sample", true);
  section(1, "sample");
  line(2, "num_samples", std::to_string(info.num_samples), info.num_samples == 1000);
  line(2, "num_warmup", std::to_string(info.num_warmup), info.num_warmup == 1000);
  line(2, "save_warmup", info.save_warmup ? "1" : "0", !info.save_warmup);
  line(2, "thin", std::to_string(info.thin), info.thin == 1);
  section(2, "adapt");
  line(3, "engaged", info.adapt ? "1" : "0", info.adapt);
  line(3, "delta", detail::format_csv_number(info.target_accept), info.target_accept == 0.8);
  line(2, "algorithm", "hmc", true);
  section(3, "hmc");
  line(4, "engine", engine, engine == "nuts");
  section(5, engine);
  if (static_hmc)
    line(6, "steps", std::to_string(info.hmc_steps), false);
  else if (engine == "nuts")
    line(6, "max_depth", std::to_string(info.max_depth), info.max_depth == 10);
  // metric::automatic chose per chain: the file names what this chain used.
  // A low-rank metric is written as its whole matrix, which CmdStan's readers
  // know as dense_e.
  const std::string metric =
      info.metric == "automatic" || info.metric == "low_rank"
          ? (chain.dense_metric || chain.low_rank_metric ? "dense_e" : "diag_e")
          : info.metric;
  line(4, "metric", metric, metric == "diag_e");
  line(2, "num_chains", "1", true);
  line(0, "id", std::to_string(id), id == 1);
  section(0, "random");
  line(1, "seed", std::to_string(info.seed), false);
  section(0, "output");
  line(1, "file", std::string(file_name), false);
  line(0, "num_threads", std::to_string(info.threads), info.threads == 1);
  // Not a CmdStan key: written only when the log density was not in double.
  if (info.precision != "double") line(0, "precision", info.precision, false);

  // Header row.
  for (std::size_t i = 0; i < chain.column_names.size(); ++i)
    out << (i > 0 ? "," : "") << chain.column_names[i];
  out << '\n';

  // Warm-up rows come before the adaptation comments, as in CmdStan.
  if (info.save_warmup) detail::write_rows(out, chain.warmup_draws);

  out << "# Adaptation terminated\n";
  out << "# Step size = " << detail::format_csv_number(chain.step_size) << '\n';
  const Eigen::MatrixXd& m = chain.inv_metric;
  if (info.metric == "unit_e") {
    out << "# No free parameters for unit metric\n";
  } else if (chain.dense_metric && m.size() > 0) {
    out << "# Elements of inverse mass matrix:\n";
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const Eigen::RowVectorXd row = m.row(i);
      out << "# " << detail::join_numbers(row.data(), row.size(), ", ") << '\n';
    }
  } else if (chain.low_rank_metric && m.size() > 0) {
    // Row by row from the factors: the dim x dim matrix is never held.
    out << "# Elements of inverse mass matrix:\n";
    std::vector<double> row(static_cast<std::size_t>(m.rows()));
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      low_rank_inverse_metric_row(chain, i, row.data());
      out << "# " << detail::join_numbers(row.data(), m.rows(), ", ") << '\n';
    }
  } else if (m.size() > 0) {
    // Diagonal metric: a column vector (or, if given square, its diagonal).
    const Eigen::VectorXd diagonal =
        (m.cols() == 1) ? Eigen::VectorXd(m.col(0)) : Eigen::VectorXd(m.diagonal());
    out << "# Diagonal elements of inverse mass matrix:\n";
    out << "# " << detail::join_numbers(diagonal.data(), diagonal.size(), ", ") << '\n';
  }

  detail::write_rows(out, chain.draws);

  out << "# \n";
  out << "#  Elapsed Time: " << detail::format_seconds(chain.warmup_seconds)
      << " seconds (Warm-up)\n";
  out << "#                " << detail::format_seconds(chain.sampling_seconds)
      << " seconds (Sampling)\n";
  out << "#                "
      << detail::format_seconds(chain.warmup_seconds + chain.sampling_seconds)
      << " seconds (Total)\n";
  out << "# \n";
}

STATIX_RUNTIME_INLINE chain_result stack_chains(const std::vector<chain_result>& chains) {
  chain_result all;
  all.chain_id = 1;
  all.column_names.push_back("chain__");
  for (const std::string& name : chains.front().column_names)
    all.column_names.push_back(name);
  const auto stacked = [&](auto member) {
    Eigen::Index rows = 0;
    for (const chain_result& c : chains)
      rows += (c.*member).rows();
    Eigen::MatrixXd out(rows, static_cast<Eigen::Index>(all.column_names.size()));
    Eigen::Index row = 0;
    for (std::size_t i = 0; i < chains.size(); ++i) {
      const Eigen::MatrixXd& block = chains[i].*member;
      if (block.rows() == 0) continue;
      const int id = chains[i].chain_id > 0 ? chains[i].chain_id : static_cast<int>(i) + 1;
      out.block(row, 0, block.rows(), 1).setConstant(id);
      out.block(row, 1, block.rows(), block.cols()) = block;
      row += block.rows();
    }
    return out;
  };
  all.draws = stacked(&chain_result::draws);
  all.warmup_draws = stacked(&chain_result::warmup_draws);
  all.step_size = chains.front().step_size;
  all.dense_metric = chains.front().dense_metric;
  all.inv_metric = chains.front().inv_metric;
  all.low_rank_metric = chains.front().low_rank_metric;
  all.low_rank_vectors = chains.front().low_rank_vectors;
  all.low_rank_eigenvalues = chains.front().low_rank_eigenvalues;
  for (const chain_result& c : chains) {
    all.warmup_seconds = std::max(all.warmup_seconds, c.warmup_seconds);
    all.sampling_seconds = std::max(all.sampling_seconds, c.sampling_seconds);
  }
  return all;
}

STATIX_RUNTIME_INLINE void write_csv(const std::filesystem::path& path,
                                     const std::vector<chain_result>& chains, const run_info& info,
                                     std::string_view model_name) {
  namespace fs = std::filesystem;
  if (path.has_parent_path()) {
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error)
      throw std::runtime_error("statix: cannot create the directory \"" +
                               path.parent_path().string() + "\": " + error.message());
  }
  const auto write_file = [&](const fs::path& file, const chain_result& chain) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("statix: cannot open \"" + file.string() + "\" for writing");
    write_chain_csv(out, chain, info, model_name, file.filename().string());
    out.close();
    if (!out) throw std::runtime_error("statix: writing \"" + file.string() + "\" failed");
  };
  if (chains.size() > max_csv_files) {
    write_file(path, stack_chains(chains));
    return;
  }
  for (std::size_t c = 0; c < chains.size(); ++c) {
    const int id = chains[c].chain_id > 0 ? chains[c].chain_id : static_cast<int>(c) + 1;
    chain_result numbered = chains[c];
    numbered.chain_id = id;
    write_file(chain_csv_path(path, id), numbered);
  }
}

STATIX_RUNTIME_INLINE csv_file parse_csv(std::istream& in, const std::string& source) {
  csv_file file;
  std::vector<std::vector<double>> before_adaptation, after_adaptation;
  std::vector<std::string> sections; // configuration nesting, one entry per level
  std::vector<std::vector<double>> dense_rows;
  enum class metric_state { none, diagonal_next, dense_rows } metric = metric_state::none;
  bool header_seen = false;
  bool adaptation_seen = false;
  bool elapsed_seen = false;
  std::string raw;
  std::size_t line_number = 0;
  std::vector<double> numbers;

  auto fail = [&](const std::string& what) {
    throw std::runtime_error("statix: " + source + ", line " + std::to_string(line_number) + ": " +
                             what);
  };

  while (std::getline(in, raw)) {
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    const std::string_view line = detail::trim(raw);
    if (line.empty()) continue;

    if (line.front() == '#') {
      file.comments.push_back(raw);
      const std::string_view after_hash = std::string_view(raw).substr(raw.find('#') + 1);
      const std::string_view text = detail::trim(after_hash);

      // Adaptation results and timing, wherever they stand.
      if (metric == metric_state::diagonal_next) {
        metric = metric_state::none;
        if (detail::parse_number_list(text, numbers)) {
          file.inv_metric = Eigen::Map<const Eigen::VectorXd>(
              numbers.data(), static_cast<Eigen::Index>(numbers.size()));
          continue;
        }
      } else if (metric == metric_state::dense_rows) {
        if (detail::parse_number_list(text, numbers) &&
            (dense_rows.empty() || numbers.size() == dense_rows.front().size())) {
          dense_rows.push_back(numbers);
          if (dense_rows.size() == dense_rows.front().size()) metric = metric_state::none;
          continue;
        }
        metric = metric_state::none;
      }
      if (text == "Adaptation terminated") {
        adaptation_seen = true;
        continue;
      }
      if (text.rfind("Step size", 0) == 0 && text.find('=') != std::string_view::npos) {
        double value = 0;
        if (detail::parse_number(text.substr(text.find('=') + 1), value)) file.step_size = value;
        continue;
      }
      if (text == "Diagonal elements of inverse mass matrix:") {
        metric = metric_state::diagonal_next;
        continue;
      }
      if (text == "Elements of inverse mass matrix:") {
        metric = metric_state::dense_rows;
        dense_rows.clear();
        continue;
      }
      if (const auto at = text.find("seconds ("); at != std::string_view::npos) {
        std::string_view number = text.substr(0, at);
        if (const auto colon = number.find(':'); colon != std::string_view::npos)
          number = number.substr(colon + 1);
        double value = 0;
        if (detail::parse_number(number, value)) {
          if (text.find("(Warm-up)") != std::string_view::npos) {
            file.warmup_seconds = value;
            elapsed_seen = true;
          } else if (text.find("(Sampling)") != std::string_view::npos) {
            file.sampling_seconds = value;
          }
        }
        continue;
      }

      // Configuration: "key = value" or a section name, nested by indentation.
      if (!header_seen && !elapsed_seen && !text.empty()) {
        const std::size_t indent = after_hash.find_first_not_of(' ');
        const std::size_t level = indent == std::string_view::npos ? 0 : (indent - 1) / 2;
        const auto equals = text.find('=');
        std::string key(detail::trim(text.substr(0, equals)));
        if (equals != std::string_view::npos) {
          std::string_view value = detail::trim(text.substr(equals + 1));
          constexpr std::string_view default_marker = "(Default)";
          if (value.size() >= default_marker.size() &&
              value.substr(value.size() - default_marker.size()) == default_marker)
            value = detail::trim(value.substr(0, value.size() - default_marker.size()));
          file.config.emplace(key, std::string(value));
          if (level > 0 && sections.size() >= level)
            file.config.emplace(sections[level - 1] + "." + key, std::string(value));
        }
        sections.resize(std::min(sections.size(), level));
        sections.push_back(key);
      }
      continue;
    }

    // Not a comment: the header, then draws.
    if (!header_seen) {
      for (const auto field : detail::split_fields(line))
        file.column_names.emplace_back(detail::trim(field));
      header_seen = true;
      continue;
    }
    const auto fields = detail::split_fields(line);
    if (fields.size() != file.column_names.size())
      fail("expected " + std::to_string(file.column_names.size()) + " values, found " +
           std::to_string(fields.size()));
    std::vector<double> row(fields.size());
    for (std::size_t j = 0; j < fields.size(); ++j)
      if (!detail::parse_number(fields[j], row[j]))
        fail("\"" + std::string(detail::trim(fields[j])) + "\" in column \"" +
             file.column_names[j] + "\" is not a number");
    (adaptation_seen ? after_adaptation : before_adaptation).push_back(std::move(row));
  }
  if (!header_seen) throw std::runtime_error("statix: " + source + " has no header row");

  if (!dense_rows.empty() && dense_rows.size() == dense_rows.front().size()) {
    const auto n = static_cast<Eigen::Index>(dense_rows.size());
    file.inv_metric = detail::rows_to_matrix(dense_rows, n);
  }

  const auto columns = static_cast<Eigen::Index>(file.column_names.size());
  if (adaptation_seen) {
    file.warmup_draws = detail::rows_to_matrix(before_adaptation, columns);
    file.draws = detail::rows_to_matrix(after_adaptation, columns);
  } else {
    // No adaptation comments: warm-up rows, if saved, are the first
    // ceil(num_warmup / thin).
    std::size_t warmup_rows = 0;
    const auto saved = file.config.find("save_warmup");
    const auto count = file.config.find("num_warmup");
    const auto thin = file.config.find("thin");
    if (saved != file.config.end() && (saved->second == "1" || saved->second == "true") &&
        count != file.config.end()) {
      double value = 0, every = 1;
      if (thin != file.config.end() && !(detail::parse_number(thin->second, every) && every >= 1))
        every = 1;
      if (detail::parse_number(count->second, value) && value > 0)
        warmup_rows = std::min(before_adaptation.size(),
                               static_cast<std::size_t>(std::ceil(value / std::floor(every))));
    }
    const std::vector<std::vector<double>> warmup(before_adaptation.begin(),
                                                  before_adaptation.begin() +
                                                      static_cast<std::ptrdiff_t>(warmup_rows));
    const std::vector<std::vector<double>> draws(before_adaptation.begin() +
                                                     static_cast<std::ptrdiff_t>(warmup_rows),
                                                 before_adaptation.end());
    file.warmup_draws = detail::rows_to_matrix(warmup, columns);
    file.draws = detail::rows_to_matrix(draws, columns);
  }
  return file;
}

STATIX_RUNTIME_INLINE csv_file read_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("statix: cannot open \"" + path.string() + "\" for reading");
  return parse_csv(in, "\"" + path.string() + "\"");
}

} // namespace statix

#endif // STATIX_RUNTIME_DEFINITIONS
