#pragma once

// Readers for the posteriordb files the posterior tests use:
// - Stan's JSON data format (an object whose members are numbers or arrays,
//   possibly nested, of numbers), e.g. {"J": 8, "y": [28, 8, -3, ...]};
// - a reference summary CSV, one row per scalar parameter with a header row
//   naming the columns (name, mean, sd, q5, q50, q95, mcse_mean, ...).
// Only what those files need: no strings other than member names, no escapes,
// no true/false/null. Malformed input throws std::runtime_error naming the
// file and the offset.

#include <Eigen/Dense>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace statix_test {

// A JSON number, array or object.
struct json_value {
  enum class kind { number, array, object };
  kind type = kind::number;
  double number = 0.0;
  std::vector<json_value> elements;                        // array
  std::vector<std::pair<std::string, json_value>> members; // object, in file order
};

namespace detail {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class json_parser {
public:
  json_parser(std::string_view text, std::string source)
      : text_(text), source_(std::move(source)) {}

  json_value parse_document() {
    json_value value = parse_value();
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the value");
    return value;
  }

private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(source_ + ": " + what + " at offset " + std::to_string(pos_));
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }

  void expect(char c) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  json_value parse_value() {
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end of input");
    const char c = text_[pos_];
    if (c == '{') return parse_object();
    if (c == '[') return parse_array();
    return parse_number();
  }

  json_value parse_object() {
    json_value value;
    value.type = json_value::kind::object;
    expect('{');
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return value;
    }
    while (true) {
      std::string key = parse_key();
      expect(':');
      value.members.emplace_back(std::move(key), parse_value());
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return value;
    }
  }

  std::string parse_key() {
    expect('"');
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') fail("escapes in member names are not supported");
      ++pos_;
    }
    if (pos_ >= text_.size()) fail("unterminated member name");
    std::string key(text_.substr(start, pos_ - start));
    ++pos_;
    return key;
  }

  json_value parse_array() {
    json_value value;
    value.type = json_value::kind::array;
    expect('[');
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return value;
    }
    while (true) {
      value.elements.push_back(parse_value());
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return value;
    }
  }

  json_value parse_number() {
    // strtod needs a terminated string: copy the number's characters.
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-' ||
            text_[pos_] == '+' || text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E'))
      ++pos_;
    if (pos_ == start) fail("expected a number, an array or an object");
    const std::string digits(text_.substr(start, pos_ - start));
    char* end = nullptr;
    const double number = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) {
      pos_ = start;
      fail("malformed number \"" + digits + "\"");
    }
    json_value value;
    value.number = number;
    return value;
  }

  std::string_view text_;
  std::string source_;
  std::size_t pos_ = 0;
};

} // namespace detail

inline json_value parse_json(std::string_view text, std::string source = "JSON text") {
  return detail::json_parser(text, std::move(source)).parse_document();
}

// The members of a Stan data file, with typed access by name.
class stan_data {
public:
  explicit stan_data(const std::filesystem::path& path) : source_(path.string()) {
    json_value root = parse_json(detail::read_text(path), source_);
    if (root.type != json_value::kind::object)
      throw std::runtime_error(source_ + ": Stan data must be a JSON object");
    for (auto& [name, value] : root.members)
      members_.insert_or_assign(name, std::move(value));
  }

  bool contains(const std::string& name) const { return members_.count(name) > 0; }

  double real(const std::string& name) const {
    const json_value& v = member(name);
    if (v.type != json_value::kind::number) fail(name, "is not a number");
    return v.number;
  }

  int integer(const std::string& name) const {
    const double v = real(name);
    if (v != std::floor(v) || std::abs(v) > 2e9) fail(name, "is not an integer");
    return static_cast<int>(v);
  }

  // A one-dimensional array of numbers.
  Eigen::VectorXd vector(const std::string& name) const {
    const json_value& v = member(name);
    if (v.type != json_value::kind::array) fail(name, "is not an array");
    Eigen::VectorXd out(static_cast<Eigen::Index>(v.elements.size()));
    for (std::size_t i = 0; i < v.elements.size(); ++i) {
      if (v.elements[i].type != json_value::kind::number)
        fail(name, "has a non-number at index " + std::to_string(i));
      out[static_cast<Eigen::Index>(i)] = v.elements[i].number;
    }
    return out;
  }

  // A one-dimensional array of integers.
  std::vector<int> int_array(const std::string& name) const {
    const Eigen::VectorXd v = vector(name);
    std::vector<int> out;
    out.reserve(static_cast<std::size_t>(v.size()));
    for (const double x : v) {
      if (x != std::floor(x)) fail(name, "has a non-integer element");
      out.push_back(static_cast<int>(x));
    }
    return out;
  }

  // An array of arrays of numbers, read row by row (Stan's matrix layout).
  Eigen::MatrixXd matrix(const std::string& name) const {
    const json_value& v = member(name);
    if (v.type != json_value::kind::array) fail(name, "is not an array");
    const auto rows = static_cast<Eigen::Index>(v.elements.size());
    const auto cols = rows > 0 ? static_cast<Eigen::Index>(v.elements.front().elements.size()) : 0;
    Eigen::MatrixXd out(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r) {
      const json_value& row = v.elements[static_cast<std::size_t>(r)];
      if (row.type != json_value::kind::array ||
          static_cast<Eigen::Index>(row.elements.size()) != cols)
        fail(name, "is not a rectangular array of arrays");
      for (Eigen::Index c = 0; c < cols; ++c) {
        const json_value& x = row.elements[static_cast<std::size_t>(c)];
        if (x.type != json_value::kind::number) fail(name, "has a non-number element");
        out(r, c) = x.number;
      }
    }
    return out;
  }

private:
  const json_value& member(const std::string& name) const {
    const auto found = members_.find(name);
    if (found == members_.end()) fail(name, "is missing");
    return found->second;
  }
  [[noreturn]] void fail(const std::string& name, const std::string& what) const {
    throw std::runtime_error(source_ + ": member \"" + name + "\" " + what);
  }

  std::string source_;
  std::map<std::string, json_value> members_;
};

// One row of a posteriordb reference summary.
struct reference_row {
  std::string name; // Stan naming, 1-based: "theta[1]"
  double mean;
  double sd;
  double q5;
  double q50;
  double q95;
  double mcse_mean;
  double ess_bulk;
  double ess_tail;
  double rhat;
};

namespace detail {

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ','))
    fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

} // namespace detail

// Reads reference.csv; the columns are found by their header names.
inline std::vector<reference_row> read_reference_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(path.string() + ": empty file");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::vector<std::string> header = detail::split_csv_line(line);
  auto column = [&](std::string_view title) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == title) return i;
    throw std::runtime_error(path.string() + ": no column \"" + std::string(title) + "\"");
  };
  const std::size_t name_col = column("name"), mean_col = column("mean"), sd_col = column("sd"),
                    q5_col = column("q5"), q50_col = column("q50"), q95_col = column("q95"),
                    mcse_col = column("mcse_mean"), bulk_col = column("ess_bulk"),
                    tail_col = column("ess_tail"), rhat_col = column("rhat");

  std::vector<reference_row> rows;
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> fields = detail::split_csv_line(line);
    if (fields.size() != header.size())
      throw std::runtime_error(path.string() + ":" + std::to_string(line_number) + ": " +
                               std::to_string(fields.size()) + " fields, the header has " +
                               std::to_string(header.size()));
    auto number = [&](std::size_t col) {
      const std::string& text = fields[col];
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size())
        throw std::runtime_error(path.string() + ":" + std::to_string(line_number) +
                                 ": not a number: \"" + text + "\"");
      return v;
    };
    rows.push_back({fields[name_col], number(mean_col), number(sd_col), number(q5_col),
                    number(q50_col), number(q95_col), number(mcse_col), number(bulk_col),
                    number(tail_col), number(rhat_col)});
  }
  return rows;
}

} // namespace statix_test
