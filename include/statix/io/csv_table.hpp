#pragma once

// A plain CSV data file with a header row (RFC 4180: fields separated by
// commas, a field in double quotes may hold commas, line ends and doubled
// quotes), its columns read by name:
//
//   auto table = sx::read_csv_table("radon.csv");
//   Eigen::VectorXd y = table.vector("log_radon");
//   Eigen::VectorXi floor = table.integers("floor");
//   std::vector<int> county = table.indices("county"); // 1-based in the file
//   Eigen::MatrixXd X = table.matrix({"floor", "log_uranium"});
//
// Cells are parsed when a column is read: "NA", "NaN" and an empty cell are
// NaN in a real column and an error in an integer one. Every error is a
// statix::csv_table_error (a std::runtime_error) naming the file and, where
// there is one, the column and the line. Blank lines are skipped; a row with
// more or fewer fields than the header is an error.

#include <Eigen/Dense>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <istream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace statix {

class csv_table_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class csv_table {
public:
  csv_table(std::string source, std::vector<std::string> names,
            std::vector<std::vector<std::string>> cells, std::vector<long> lines)
      : source_(std::move(source)), names_(std::move(names)), cells_(std::move(cells)),
        lines_(std::move(lines)) {}

  const std::string& source() const { return source_; }
  const std::vector<std::string>& names() const { return names_; }
  Eigen::Index rows() const { return static_cast<Eigen::Index>(cells_.size()); }
  bool has(std::string_view name) const { return find(name) >= 0; }

  // The cells of a column as written (quotes removed).
  std::vector<std::string> strings(std::string_view name) const {
    const std::size_t j = index(name);
    std::vector<std::string> out;
    out.reserve(cells_.size());
    for (const auto& row : cells_)
      out.push_back(row[j]);
    return out;
  }

  // A column of reals; "NA", "NaN" and empty cells are NaN.
  Eigen::VectorXd vector(std::string_view name) const {
    const std::size_t j = index(name);
    Eigen::VectorXd out(rows());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      out[static_cast<Eigen::Index>(i)] = real_cell(i, j);
    return out;
  }

  // A column of whole numbers.
  Eigen::VectorXi integers(std::string_view name) const {
    const std::size_t j = index(name);
    Eigen::VectorXi out(rows());
    for (std::size_t i = 0; i < cells_.size(); ++i)
      out[static_cast<Eigen::Index>(i)] = integer_cell(i, j);
    return out;
  }

  // A column of 1-based indices (as R and Stan number groups), returned
  // 0-based for gathers such as a[county]; each must be at least 1.
  std::vector<int> indices(std::string_view name) const {
    const std::size_t j = index(name);
    std::vector<int> out(cells_.size());
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      const int value = integer_cell(i, j);
      if (value < 1)
        throw error("column \"" + names_[j] + "\", line " + std::to_string(lines_[i]) +
                    ": an index must be at least 1 (1-based), got " + std::to_string(value));
      out[i] = value - 1;
    }
    return out;
  }

  // Columns of reals side by side, in the order given (a design matrix).
  Eigen::MatrixXd matrix(std::initializer_list<std::string_view> columns) const {
    Eigen::MatrixXd out(rows(), static_cast<Eigen::Index>(columns.size()));
    Eigen::Index k = 0;
    for (const std::string_view name : columns)
      out.col(k++) = vector(name);
    return out;
  }

private:
  long find(std::string_view name) const {
    for (std::size_t j = 0; j < names_.size(); ++j)
      if (names_[j] == name) return static_cast<long>(j);
    return -1;
  }

  std::size_t index(std::string_view name) const {
    const long j = find(name);
    if (j < 0) {
      std::string known;
      for (const auto& n : names_)
        known += (known.empty() ? "" : ", ") + n;
      throw error("no column \"" + std::string(name) + "\" (columns: " + known + ")");
    }
    return static_cast<std::size_t>(j);
  }

  csv_table_error error(const std::string& what) const {
    return csv_table_error("statix: " + source_ + ": " + what);
  }

  // The cell in an error message, shortened: a cell may be a whole paragraph.
  static std::string quoted(const std::string& cell) {
    return "\"" + (cell.size() > 40 ? cell.substr(0, 40) + "..." : cell) + "\"";
  }

  static std::string_view trimmed(const std::string& cell) {
    std::string_view text(cell);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
      text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
      text.remove_suffix(1);
    return text;
  }

  double real_cell(std::size_t i, std::size_t j) const {
    const std::string_view text = trimmed(cells_[i][j]);
    if (text.empty() || text == "NA" || text == "NaN" || text == "nan")
      return std::numeric_limits<double>::quiet_NaN();
    if (text == "Inf" || text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-Inf" || text == "-inf") return -std::numeric_limits<double>::infinity();
    const std::string_view digits = text.front() == '+' ? text.substr(1) : text;
    double value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size())
      throw error("column \"" + names_[j] + "\", line " + std::to_string(lines_[i]) +
                  ": not a number: " + quoted(cells_[i][j]));
    return value;
  }

  int integer_cell(std::size_t i, std::size_t j) const {
    const std::string_view text = trimmed(cells_[i][j]);
    const std::string_view digits = !text.empty() && text.front() == '+' ? text.substr(1) : text;
    long long value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
      throw error("column \"" + names_[j] + "\", line " + std::to_string(lines_[i]) +
                  ": not an integer: " + quoted(cells_[i][j]));
    return static_cast<int>(value);
  }

  std::string source_;
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> cells_; // one vector per data row
  std::vector<long> lines_;                     // each row's line in the file, 1-based
};

// Reads a CSV table from a stream; `source` names it in errors.
inline csv_table parse_csv_table(std::istream& in, const std::string& source = "<stream>") {
  std::vector<std::vector<std::string>> records;
  std::vector<long> lines;
  std::vector<std::string> fields;
  std::string field;
  long line = 1;
  long record_line = 1;
  bool in_quotes = false;
  bool quoted_field = false; // the current field was quoted (so it is a field even if empty)
  bool any = false;          // the current record has a character
  const auto end_field = [&] {
    fields.push_back(std::move(field));
    field.clear();
    quoted_field = false;
  };
  const auto end_record = [&] {
    // A blank line is no record.
    if (any || !fields.empty() || !field.empty() || quoted_field) {
      end_field();
      records.push_back(std::move(fields));
      lines.push_back(record_line);
    }
    fields.clear();
    field.clear();
    any = false;
  };
  char c = 0;
  while (in.get(c)) {
    if (in_quotes) {
      if (c == '"') {
        if (in.peek() == '"') {
          in.get(c);
          field.push_back('"');
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.find_first_not_of(" \t") == std::string::npos) {
      field.clear();
      in_quotes = true;
      quoted_field = true;
      any = true;
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\n') {
      end_record();
      ++line;
      record_line = line;
    } else if (c == '\r') {
      // CRLF line ends
    } else {
      if (!any) record_line = line;
      field.push_back(c);
      any = true;
    }
  }
  if (in_quotes)
    throw csv_table_error("statix: " + source + ": line " + std::to_string(record_line) +
                          ": a quoted field is not closed");
  end_record();
  if (records.empty()) throw csv_table_error("statix: " + source + ": no header row");

  std::vector<std::string> names = std::move(records.front());
  for (std::size_t j = 0; j < names.size(); ++j) {
    if (names[j].empty())
      throw csv_table_error("statix: " + source + ": column " + std::to_string(j + 1) +
                            " of the header has no name");
    for (std::size_t k = 0; k < j; ++k)
      if (names[k] == names[j])
        throw csv_table_error("statix: " + source + ": column \"" + names[j] +
                              "\" appears twice in the header");
  }
  std::vector<std::vector<std::string>> cells;
  std::vector<long> cell_lines;
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != names.size())
      throw csv_table_error("statix: " + source + ": line " + std::to_string(lines[r]) + " has " +
                            std::to_string(records[r].size()) + " fields, the header " +
                            std::to_string(names.size()));
    cells.push_back(std::move(records[r]));
    cell_lines.push_back(lines[r]);
  }
  return csv_table(source, std::move(names), std::move(cells), std::move(cell_lines));
}

// Reads a CSV table from a file; throws csv_table_error naming the path when
// it cannot be read or is malformed.
inline csv_table read_csv_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw csv_table_error("statix: cannot read " + path.string() + ": " + std::strerror(errno));
  return parse_csv_table(in, path.string());
}

} // namespace statix
