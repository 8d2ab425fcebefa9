// sx::read_json / sx::parse_json (io/json_data.hpp): Stan's JSON data format.
// The posteriordb copies' data files are checked against hand-read values and
// against the independent parser in tests/posteriordb/stan_json.hpp; then
// every error, with its message.
#include <statix/io/json_data.hpp>

#include "../posteriordb/stan_json.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace sx = statix;

const fs::path posteriordb_data = STATIX_SOURCE_DIR "/tests/posteriordb/data";

// The message of the json_data_error that `f` throws ("" if none).
template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const sx::json_data_error& e) {
    return e.what();
  }
  return "";
}

// A file under the system temp directory, removed afterwards.
struct scratch_file {
  fs::path path;
  scratch_file(const std::string& name, const std::string& text)
      : path(fs::temp_directory_path() / ("statix_json_test_" + name)) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~scratch_file() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
};

} // namespace

TEST_CASE("read_json reads the posteriordb data files as written", "[io][json]") {
  const auto schools =
      sx::read_json(posteriordb_data / "eight_schools-eight_schools_noncentered" / "data.json");
  CHECK(schools.names() == std::vector<std::string>{"J", "sigma", "y"});
  CHECK(schools.has("J"));
  CHECK_FALSE(schools.has("N"));
  CHECK(schools.integer("J") == 8);
  CHECK(schools.real("J") == 8.0);
  const Eigen::VectorXd y = schools.vector("y");
  REQUIRE(y.size() == 8);
  CHECK(y[0] == 28.0);
  CHECK(y[2] == -3.0);
  CHECK(y[7] == 12.0);
  CHECK(schools.vector("sigma")[7] == 18.0);
  CHECK(schools.integers("y") == std::vector<int>{28, 8, -3, 7, -1, 1, 18, 12});
  CHECK(schools.dims("y") == std::vector<std::size_t>{8});
  CHECK(schools.dims("J").empty());

  const auto kidiq = sx::read_json(posteriordb_data / "kidiq-kidscore_interaction" / "data.json");
  CHECK(kidiq.integer("N") == 434);
  const std::vector<int> mom_hs = kidiq.integers("mom_hs");
  REQUIRE(mom_hs.size() == 434u);
  CHECK(mom_hs[0] == 1);
  const Eigen::VectorXd mom_iq = kidiq.vector("mom_iq");
  REQUIRE(mom_iq.size() == 434);
  CHECK(mom_iq[0] == 121.117528602603);
  CHECK(mom_iq[433] == 91.2533362836924);
  CHECK(kidiq.vector("kid_score")[1] == 98.0);
  CHECK(kidiq.vector("kid_score")[433] == 70.0);
  CHECK(kidiq.integer("mom_iq_new") == 100);
  // A scalar where a vector is expected is a vector of size 1.
  CHECK(kidiq.vector("mom_iq_new").size() == 1);
  CHECK(kidiq.integers("mom_hs_new") == std::vector<int>{1});

  const auto gp = sx::read_json(posteriordb_data / "gp_pois_regr-gp_pois_regr" / "data.json");
  CHECK(gp.integers("k") == std::vector<int>{40, 37, 29, 12, 4, 3, 9, 19, 77, 82, 33});
  CHECK(gp.vector("y")[9] == 0.802364);
  CHECK(gp.vector("x")[0] == -10.0);
}

TEST_CASE("read_json agrees with the posteriordb test reader on every data file", "[io][json]") {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(posteriordb_data)) {
    const fs::path path = entry.path() / "data.json";
    if (!fs::exists(path)) continue;
    ++files;
    INFO(path.string());
    const auto data = sx::read_json(path);
    const statix_test::stan_data reference(path);
    const auto root = statix_test::parse_json(statix_test::detail::read_text(path));
    REQUIRE(data.names().size() == root.members.size());
    for (const auto& [name, value] : root.members) {
      INFO(name);
      REQUIRE(data.has(name));
      if (value.type == statix_test::json_value::kind::number) {
        CHECK(data.real(name) == reference.real(name));
        if (value.number == std::floor(value.number))
          CHECK(data.integer(name) == reference.integer(name));
      } else if (data.dims(name).size() == 2) {
        const Eigen::MatrixXd m = data.matrix(name);
        CHECK(m == reference.matrix(name));
        CHECK(static_cast<std::size_t>(m.rows()) == data.dims(name)[0]);
        CHECK(static_cast<std::size_t>(m.cols()) == data.dims(name)[1]);
        CHECK(data.vectors(name).size() == data.dims(name)[0]);
      } else {
        const Eigen::VectorXd v = data.vector(name);
        CHECK(v == reference.vector(name));
        CHECK(data.array(name).values == std::vector<double>(v.begin(), v.end()));
        bool all_integers = true;
        for (const double x : v)
          all_integers = all_integers && x == std::floor(x);
        if (all_integers) CHECK(data.integers(name) == reference.int_array(name));
      }
    }
  }
  CHECK(files >= 6);
}

TEST_CASE("parse_json reads matrices, arrays of vectors, indices and non-finite reals",
          "[io][json]") {
  const auto data = sx::parse_json(R"({
    "X": [[1, 2, 3], [4, 5.5, 6]],
    "county": [1, 3, 2, 3],
    "special": ["NaN", "Infinity", "-Infinity", "Inf", "-Inf", 1e300],
    "sigma": 2.5,
    "big": 2147483647,
    "whole": 3.0,
    "empty": [],
    "empty_rows": [[], []],
    "cube": [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]],
    "neg": -2147483648
  })",
                                   "inline.json");
  const Eigen::MatrixXd X = data.matrix("X");
  REQUIRE(X.rows() == 2);
  REQUIRE(X.cols() == 3);
  CHECK(X(0, 0) == 1.0);
  CHECK(X(0, 2) == 3.0);
  CHECK(X(1, 0) == 4.0);
  CHECK(X(1, 1) == 5.5);
  const std::vector<Eigen::VectorXd> rows = data.vectors("X");
  REQUIRE(rows.size() == 2u);
  CHECK(rows[1].size() == 3);
  CHECK(rows[1][1] == 5.5);

  CHECK(data.indices("county") == std::vector<int>{0, 2, 1, 2});
  CHECK(data.integers("county") == std::vector<int>{1, 3, 2, 3});

  const Eigen::VectorXd special = data.vector("special");
  REQUIRE(special.size() == 6);
  CHECK(std::isnan(special[0]));
  CHECK(special[1] == std::numeric_limits<double>::infinity());
  CHECK(special[2] == -std::numeric_limits<double>::infinity());
  CHECK(special[3] == std::numeric_limits<double>::infinity());
  CHECK(special[4] == -std::numeric_limits<double>::infinity());
  CHECK(special[5] == 1e300);

  CHECK(data.real("sigma") == 2.5);
  CHECK(data.integer("big") == 2147483647);
  CHECK(data.integer("neg") == -2147483647 - 1);
  CHECK(data.integer("whole") == 3);

  CHECK(data.vector("empty").size() == 0);
  CHECK(data.integers("empty").empty());
  CHECK(data.indices("empty").empty());
  CHECK(data.matrix("empty").size() == 0);
  CHECK(data.vectors("empty").empty());
  const Eigen::MatrixXd empty_rows = data.matrix("empty_rows");
  CHECK(empty_rows.rows() == 2);
  CHECK(empty_rows.cols() == 0);

  const sx::json_array cube = data.array("cube");
  CHECK(cube.dims == std::vector<std::size_t>{3, 2, 2});
  REQUIRE(cube.values.size() == 12u);
  CHECK(cube.values[0] == 1.0);
  CHECK(cube.values[1] == 2.0); // cube[1][1][2]: the last index varies fastest
  CHECK(cube.values[2] == 3.0); // cube[1][2][1]
  CHECK(cube.values[11] == 12.0);
  CHECK(data.array("sigma").dims.empty());
  CHECK(data.array("sigma").values == std::vector<double>{2.5});
}

TEST_CASE("read_json errors name the file and the variable", "[io][json]") {
  const auto data = sx::parse_json(R"({
    "N": 3.5, "y": [1, 2, 3], "k": [1, 2.5], "X": [[1, 2], [3, 4, 5]], "mixed": [[1, 2], 3],
    "deep": [1, [2]], "county": [1, 0, 2], "s": "abc", "flag": true, "nil": null,
    "obj": {"a": 1}, "huge": 3000000000, "v": [1, "x"], "rank3": [[[1]]]
  })",
                                   "data.json");

  // A missing name lists the names present.
  CHECK(message_of([&] { (void)data.vector("M"); }) ==
        "no variable \"M\" in data.json; it has: N, X, county, deep, flag, huge, k, mixed, nil, "
        "obj, rank3, s, v, y");
  CHECK(message_of([] { (void)sx::parse_json("{}", "none.json").integer("N"); }) ==
        "no variable \"N\" in none.json, which has no variables");

  // Wrong types.
  CHECK(message_of([&] { (void)data.integer("N"); }) ==
        "variable \"N\" in data.json is 3.5, not an integer");
  CHECK(message_of([&] { (void)data.integers("k"); }) ==
        "variable \"k\" in data.json: k[2] is 2.5, not an integer");
  CHECK(message_of([&] { (void)data.indices("k"); }) ==
        "variable \"k\" in data.json: k[2] is 2.5, not an integer");
  CHECK(message_of([&] { (void)data.integer("huge"); }) ==
        "variable \"huge\" in data.json is 3000000000, outside the range of int");
  CHECK(message_of([&] { (void)data.integer("y"); }) ==
        "variable \"y\" in data.json is an array, not a single integer");
  CHECK(message_of([&] { (void)data.real("y"); }) ==
        "variable \"y\" in data.json is an array, not a single number");
  CHECK(message_of([&] { (void)data.real("s"); }) ==
        "variable \"s\" in data.json is \"abc\", not a number");
  CHECK(message_of([&] { (void)data.real("flag"); }) ==
        "variable \"flag\" in data.json is true, not a number");
  CHECK(message_of([&] { (void)data.vector("nil"); }) ==
        "variable \"nil\" in data.json is null, not a number or an array of numbers");
  CHECK(message_of([&] { (void)data.vector("obj"); }) ==
        "variable \"obj\" in data.json is an object, not a number or an array of numbers");
  CHECK(message_of([&] { (void)data.vector("v"); }) ==
        "variable \"v\" in data.json: v[2] is \"x\", not a number");
  CHECK(message_of([&] { (void)data.vector("X"); }) ==
        "variable \"X\" in data.json is a ragged array: X[2] has 3 elements, where 2 are expected "
        "(as in its first row)");
  CHECK(message_of([&] { (void)data.vector("rank3"); }) ==
        "variable \"rank3\" in data.json is an array of rank 3, not a one-dimensional array of "
        "numbers");
  CHECK(message_of([&] { (void)data.matrix("y"); }) ==
        "variable \"y\" in data.json is an array of rank 1, not an array of rows (a matrix)");
  CHECK(message_of([&] { (void)data.matrix("N"); }) ==
        "variable \"N\" in data.json is 3.5, not an array of rows (a matrix)");
  CHECK(message_of([&] { (void)data.integers("X"); }) ==
        "variable \"X\" in data.json is a ragged array: X[2] has 3 elements, where 2 are expected "
        "(as in its first row)");

  // Ragged arrays.
  CHECK(message_of([&] { (void)data.matrix("X"); }) ==
        "variable \"X\" in data.json is a ragged array: X[2] has 3 elements, where 2 are expected "
        "(as in its first row)");
  CHECK(message_of([&] { (void)data.matrix("mixed"); }) ==
        "variable \"mixed\" in data.json is a ragged array: mixed[2] is 3, where an array of 2 "
        "elements is expected");
  CHECK(message_of([&] { (void)data.vector("deep"); }) ==
        "variable \"deep\" in data.json is a ragged array: deep[2] is an array, where its "
        "neighbours are numbers");
  CHECK(message_of([&] { (void)data.array("X"); }) ==
        "variable \"X\" in data.json is a ragged array: X[2] has 3 elements, where 2 are expected "
        "(as in its first row)");

  // Indices are 1-based.
  CHECK(message_of([&] { (void)data.indices("county"); }) ==
        "variable \"county\" in data.json holds indices, which are 1-based and must be >= 1, but "
        "county[2] is 0");

  // Not an object.
  CHECK(message_of([] { (void)sx::parse_json("[1, 2]", "list.json"); }) ==
        "list.json: Stan JSON data must be a JSON object ({\"N\": 3, ...}), not an array");
}

TEST_CASE("read_json reports files it cannot open or parse", "[io][json]") {
  const fs::path missing = fs::temp_directory_path() / "statix_json_test_no_such_file.json";
  CHECK(message_of([&] { (void)sx::read_json(missing); }) ==
        "cannot open " + missing.string() + ": No such file or directory");

  const scratch_file truncated("truncated.json", "{\n  \"N\": 3,\n  \"y\": [1, 2");
  const std::string truncated_message = message_of([&] { (void)sx::read_json(truncated.path); });
  INFO(truncated_message);
  CHECK(truncated_message.starts_with("cannot parse " + truncated.path.string() +
                                      " as JSON: parse error at line 3, column 13: "));
  CHECK(truncated_message.ends_with("(byte 25)"));

  const scratch_file bad_number("bad_number.json", "{\"a\": 1.2.3}");
  const std::string bad_message = message_of([&] { (void)sx::read_json(bad_number.path); });
  INFO(bad_message);
  CHECK(bad_message.starts_with("cannot parse " + bad_number.path.string() +
                                " as JSON: parse error at line 1, column 10: "));

  const scratch_file empty("empty.json", "");
  CHECK(message_of([&] { (void)sx::read_json(empty.path); })
            .starts_with("cannot parse " + empty.path.string() +
                         " as JSON: parse error at line 1, column 1: "));

  const scratch_file good("good.json", "{\"N\": 2, \"y\": [0.5, \"NaN\"]}");
  const auto data = sx::read_json(good.path);
  CHECK(data.source() == good.path.string());
  CHECK(data.integer("N") == 2);
  CHECK(std::isnan(data.vector("y")[1]));

  CHECK_THROWS_AS(sx::parse_json("{\"a\": [1, 2"), std::runtime_error);
}
