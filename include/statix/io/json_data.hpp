#pragma once

// Stan's JSON data format (CmdStan guide, "JSON format for CmdStan"), the
// format CmdStan, cmdstanpy, cmdstanr and posteriordb use for data: one JSON
// object whose members are numbers or (nested, rectangular) arrays of numbers.
//
//   auto data = sx::read_json("data.json");
//   const int N = data.integer("N");
//   Eigen::VectorXd y = data.vector("y");
//   Eigen::MatrixXd X = data.matrix("X");          // X[i][j] in the file is X(i, j)
//   std::vector<int> county = data.indices("county"); // 1-based in the file, 0-based here
//
// Reals may also be the strings "NaN", "Inf", "-Inf", "Infinity" and
// "-Infinity"; a scalar is accepted where a vector of size 1 is expected.
// Every error is a statix::json_data_error (a std::runtime_error) naming the
// file and the variable.
//
// Needs nlohmann's JSON library (Debian: nlohmann-json3-dev, header-only);
// only this header includes it, so the rest of Statix works without it.

#include <Eigen/Dense>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace statix {

// Any error reading Stan JSON data: the file, the variable and what is wrong.
class json_data_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// An array of any rank, its values in the file's (row-major) order: the last
// index varies fastest. A scalar has no dimensions and one value.
struct json_array {
  std::vector<std::size_t> dims;
  std::vector<double> values;
};

// The variables of one Stan JSON data file, by name.
class json_data {
public:
  // `source` names the data in error messages (the file's path).
  json_data(nlohmann::json root, std::string source)
      : root_(std::move(root)), source_(std::move(source)) {
    if (!root_.is_object())
      throw json_data_error(source_ +
                            ": Stan JSON data must be a JSON object ({\"N\": 3, ...}), not " +
                            describe(root_));
  }

  const std::string& source() const { return source_; }
  bool has(std::string_view name) const { return root_.contains(name); }

  // The variables' names, sorted.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& item : root_.items())
      out.push_back(item.key());
    return out;
  }

  // The shape of a variable: {} for a scalar, {n} for a vector, {rows, cols}
  // for a matrix or an array of vectors, ...
  std::vector<std::size_t> dims(std::string_view name) const { return shape(name, value(name)); }

  double real(std::string_view name) const {
    const nlohmann::json& v = value(name);
    if (v.is_array()) fail(name, "is an array, not a single number");
    return to_real(name, v, std::string(name));
  }

  int integer(std::string_view name) const {
    const nlohmann::json& v = value(name);
    if (v.is_array()) fail(name, "is an array, not a single integer");
    return to_int(name, v, std::string(name));
  }

  // Any array of numbers (or a scalar), flattened in the file's order.
  json_array array(std::string_view name) const {
    const nlohmann::json& v = value(name);
    json_array out;
    out.dims = shape(name, v);
    out.values.reserve(count(out.dims));
    flatten(name, v, std::string(name), out.values);
    return out;
  }

  // A one-dimensional array of reals; a single number is a vector of size 1.
  Eigen::VectorXd vector(std::string_view name) const {
    const json_array a = array_of_rank(name, 1, "a one-dimensional array of numbers");
    Eigen::VectorXd out(static_cast<Eigen::Index>(a.values.size()));
    for (std::size_t i = 0; i < a.values.size(); ++i)
      out[static_cast<Eigen::Index>(i)] = a.values[i];
    return out;
  }

  // A one-dimensional array of integers; a single integer is an array of size 1.
  std::vector<int> integers(std::string_view name) const {
    const nlohmann::json& v = value(name);
    std::vector<int> out;
    if (!v.is_array()) {
      out.push_back(to_int(name, v, std::string(name)));
      return out;
    }
    const std::vector<std::size_t> d = shape(name, v);
    if (d.size() != 1)
      fail(name, "is an array of rank " + std::to_string(d.size()) +
                     ", not a one-dimensional array of integers");
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      out.push_back(to_int(name, v[i], element_name(name, i)));
    return out;
  }

  // 1-based indices in the file (Stan's), 0-based in the result; each must be >= 1.
  std::vector<int> indices(std::string_view name) const {
    std::vector<int> out = integers(name);
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] < 1)
        fail(name, "holds indices, which are 1-based and must be >= 1, but " +
                       element_name(name, i) + " is " + std::to_string(out[i]));
      --out[i];
    }
    return out;
  }

  // Stan's matrix layout: an array of rows, X[i][j] is X(i, j). An empty
  // array is a 0 x 0 matrix.
  Eigen::MatrixXd matrix(std::string_view name) const {
    const nlohmann::json& v = value(name);
    if (!v.is_array()) fail(name, "is " + describe(v) + ", not an array of rows (a matrix)");
    if (v.empty()) return Eigen::MatrixXd(0, 0);
    const json_array a = array_of_rank(name, 2, "an array of rows (a matrix)");
    const auto rows = static_cast<Eigen::Index>(a.dims[0]);
    const auto cols = static_cast<Eigen::Index>(a.dims[1]);
    Eigen::MatrixXd out(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r)
      for (Eigen::Index c = 0; c < cols; ++c)
        out(r, c) = a.values[static_cast<std::size_t>(r * cols + c)];
    return out;
  }

  // An array of vectors (Stan's array[N] vector[K]), all of the same size.
  std::vector<Eigen::VectorXd> vectors(std::string_view name) const {
    const nlohmann::json& v = value(name);
    if (!v.is_array()) fail(name, "is " + describe(v) + ", not an array of vectors");
    std::vector<Eigen::VectorXd> out;
    if (v.empty()) return out;
    const Eigen::MatrixXd m = matrix(name);
    out.reserve(static_cast<std::size_t>(m.rows()));
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      out.emplace_back(m.row(r).transpose());
    return out;
  }

private:
  const nlohmann::json& value(std::string_view name) const {
    const auto found = root_.find(name);
    if (found != root_.end()) return *found;
    std::string present;
    for (const auto& item : root_.items())
      present += (present.empty() ? "" : ", ") + item.key();
    throw json_data_error(
        "no variable \"" + std::string(name) + "\" in " + source_ +
        (present.empty() ? std::string(", which has no variables") : "; it has: " + present));
  }

  [[noreturn]] void fail(std::string_view name, const std::string& what) const {
    // `what` starts with a verb ("is ...") or with ": y[3] is ...".
    throw json_data_error("variable \"" + std::string(name) + "\" in " + source_ +
                          (what.starts_with(":") ? "" : " ") + what);
  }

  // The value as it is written in the file, shortened.
  static std::string describe(const nlohmann::json& v) {
    if (v.is_object()) return "an object";
    if (v.is_array()) return "an array";
    if (v.is_null()) return "null";
    std::string text = v.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
  }

  // name[i] in Stan's 1-based notation.
  static std::string element_name(std::string_view name, std::size_t i) {
    return std::string(name) + "[" + std::to_string(i + 1) + "]";
  }

  // `where` is the variable or its element ("y[3]"), for messages.
  double to_real(std::string_view name, const nlohmann::json& v, const std::string& where) const {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      constexpr double inf = std::numeric_limits<double>::infinity();
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (s == "Inf" || s == "Infinity" || s == "+Inf" || s == "+Infinity") return inf;
      if (s == "-Inf" || s == "-Infinity") return -inf;
    }
    fail(name, where == name ? "is " + describe(v) + ", not a number"
                             : ": " + where + " is " + describe(v) + ", not a number");
  }

  int to_int(std::string_view name, const nlohmann::json& v, const std::string& where) const {
    const std::string prefix = where == name ? "is " : ": " + where + " is ";
    if (v.is_number_integer()) {
      // Signed or unsigned 64-bit in the file.
      if (v.is_number_unsigned()
              ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(int_max_)
              : (v.get<std::int64_t>() >= int_min_ && v.get<std::int64_t>() <= int_max_))
        return static_cast<int>(v.get<std::int64_t>());
      fail(name, prefix + v.dump() + ", outside the range of int");
    }
    if (v.is_number_float()) {
      const double x = v.get<double>();
      if (std::isfinite(x) && x == std::floor(x) && x >= int_min_ && x <= int_max_)
        return static_cast<int>(x);
    }
    fail(name, prefix + describe(v) + ", not an integer");
  }

  // Checks that the array is rectangular and holds numbers (or Stan's
  // strings for the non-finite reals) only, and returns its dimensions.
  std::vector<std::size_t> shape(std::string_view name, const nlohmann::json& v) const {
    std::vector<std::size_t> d;
    const nlohmann::json* level = &v;
    while (level->is_array()) {
      d.push_back(level->size());
      if (level->empty()) break;
      level = &level->front();
    }
    check_shape(name, v, d, 0, std::string(name));
    return d;
  }

  void check_shape(std::string_view name, const nlohmann::json& v,
                   const std::vector<std::size_t>& d, std::size_t depth,
                   const std::string& where) const {
    if (depth == d.size()) {
      if (v.is_array())
        fail(name, "is a ragged array: " + where + " is an array, where " +
                       (depth == 0 ? std::string("a number") : "its neighbours are numbers"));
      if (!v.is_number() && !v.is_string())
        fail(name, where == name ? "is " + describe(v) + ", not a number or an array of numbers"
                                 : ": " + where + " is " + describe(v) + ", not a number");
      return;
    }
    if (!v.is_array())
      fail(name, "is a ragged array: " + where + " is " + describe(v) + ", where an array of " +
                     std::to_string(d[depth]) + " elements is expected");
    if (v.size() != d[depth])
      fail(name, "is a ragged array: " + where + " has " + std::to_string(v.size()) +
                     " elements, where " + std::to_string(d[depth]) +
                     " are expected (as in its first row)");
    for (std::size_t i = 0; i < v.size(); ++i)
      check_shape(name, v[i], d, depth + 1, where + "[" + std::to_string(i + 1) + "]");
  }

  void flatten(std::string_view name, const nlohmann::json& v, const std::string& where,
               std::vector<double>& out) const {
    if (!v.is_array()) {
      out.push_back(to_real(name, v, where));
      return;
    }
    for (std::size_t i = 0; i < v.size(); ++i)
      flatten(name, v[i], where + "[" + std::to_string(i + 1) + "]", out);
  }

  static std::size_t count(const std::vector<std::size_t>& d) {
    std::size_t n = 1;
    for (const std::size_t k : d)
      n *= k;
    return n;
  }

  // A scalar counts as rank 1 (a vector of size 1) when rank 1 is asked for.
  json_array array_of_rank(std::string_view name, std::size_t rank, const std::string& what) const {
    json_array a = array(name);
    if (a.dims.empty() && rank == 1) a.dims = {1};
    // An empty array ([]) is of any rank with no elements.
    if (a.dims.size() != rank && !(a.values.empty() && a.dims.size() < rank)) {
      fail(name, a.dims.empty()
                     ? "is a single number, not " + what
                     : "is an array of rank " + std::to_string(a.dims.size()) + ", not " + what);
    }
    a.dims.resize(rank, 0);
    return a;
  }

  static constexpr std::int64_t int_max_ = std::numeric_limits<int>::max();
  static constexpr std::int64_t int_min_ = std::numeric_limits<int>::min();

  nlohmann::json root_;
  std::string source_;
};

// Parses Stan JSON data from text; `source` names it in error messages.
inline json_data parse_json(std::string_view text, std::string source = "JSON text") {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3,
    // column 5: ...": keep what follows the bracket.
    std::string what = e.what();
    if (const auto close = what.find("] ");
        what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
      what = what.substr(close + 2);
    throw json_data_error("cannot parse " + source + " as JSON: " + what + " (byte " +
                          std::to_string(e.byte) + ")");
  }
  return json_data(std::move(root), std::move(source));
}

// Reads a Stan JSON data file (CmdStan's data file, cmdstanpy's write_stan_json).
inline json_data read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    throw json_data_error("cannot open " + path.string() + ": " +
                          (error != 0 ? std::strerror(error) : "unknown error"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw json_data_error("cannot read " + path.string());
  return parse_json(text.str(), path.string());
}

} // namespace statix
