// sx::read_csv_table / sx::parse_csv_table (io/csv_table.hpp): a plain CSV
// file with a header row, read by column name. Values against the text
// written; RFC 4180 quoting; every error, with what it names.
#include <statix/io/csv_table.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sx = statix;

namespace {

sx::csv_table parse(const std::string& text) {
  std::istringstream in(text);
  return sx::parse_csv_table(in, "table.csv");
}

} // namespace

TEST_CASE("csv_table reads columns by name: reals, integers, 1-based indices, strings", "[io]") {
  // CRLF line ends, a blank line, spaces around numbers, quoted names and
  // cells with commas, doubled quotes and a line end inside.
  const auto table = parse("county,\"log radon, pCi/L\",floor,note\r\n"
                           "1,0.832909, 1 ,plain\r\n"
                           "\r\n"
                           "2,-1.2e-3,0,\"a, b\"\r\n"
                           "3,NA,1,\"say \"\"hi\"\"\nthere\"\r\n");
  CHECK(table.names() == std::vector<std::string>{"county", "log radon, pCi/L", "floor", "note"});
  CHECK(table.rows() == 3);
  CHECK(table.has("floor"));
  CHECK_FALSE(table.has("Floor"));

  const Eigen::VectorXd y = table.vector("log radon, pCi/L");
  CHECK(y[0] == 0.832909);
  CHECK(y[1] == -1.2e-3);
  CHECK(std::isnan(y[2]));
  CHECK(table.integers("floor") == Eigen::Vector3i(1, 0, 1));
  CHECK(table.indices("county") == std::vector<int>{0, 1, 2});
  CHECK(table.strings("note") == std::vector<std::string>{"plain", "a, b", "say \"hi\"\nthere"});

  const Eigen::MatrixXd x = table.matrix({"floor", "county"});
  CHECK(x.rows() == 3);
  CHECK(x.cols() == 2);
  CHECK(x(2, 0) == 1.0);
  CHECK(x(2, 1) == 3.0);

  // No trailing line end; reals in every form from_chars takes.
  const auto last = parse("a,b\n+1.5,Inf\n-0,1e308");
  CHECK(last.vector("a") == Eigen::Vector2d(1.5, -0.0));
  CHECK(last.vector("b")[0] == std::numeric_limits<double>::infinity());
  CHECK(last.vector("b")[1] == 1e308);
}

TEST_CASE("csv_table from a file, and every error naming the file, the column and the line",
          "[io]") {
  const auto dir = std::filesystem::temp_directory_path() / "statix_csv_table_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "data.csv";
  std::ofstream(path) << "x,k\n1.5,2\n2.5,x7\n";
  const auto table = sx::read_csv_table(path);
  CHECK(table.source() == path.string());
  CHECK(table.vector("x") == Eigen::Vector2d(1.5, 2.5));

  using Catch::Contains;
  CHECK_THROWS_WITH(table.integers("k"), Contains(path.string()) &&
                                             Contains("column \"k\", line 3") &&
                                             Contains("not an integer: \"x7\""));
  CHECK_THROWS_AS(table.vector("z"), sx::csv_table_error);
  CHECK_THROWS_WITH(table.vector("z"), Contains("no column \"z\" (columns: x, k)"));
  CHECK_THROWS_WITH(sx::read_csv_table(dir / "missing.csv"),
                    Contains("cannot read") && Contains("missing.csv"));
  std::filesystem::remove_all(dir);

  CHECK_THROWS_WITH(parse("a,b\n1,2\n3\n").vector("a"),
                    Contains("table.csv: line 3 has 1 fields, the header 2"));
  CHECK_THROWS_WITH(parse("a,b\n1,2,3\n"), Contains("line 2 has 3 fields"));
  CHECK_THROWS_WITH(parse("a,a\n1,2\n"), Contains("column \"a\" appears twice"));
  CHECK_THROWS_WITH(parse("a,\n1,2\n"), Contains("column 2 of the header has no name"));
  CHECK_THROWS_WITH(parse(""), Contains("table.csv: no header row"));
  CHECK_THROWS_WITH(parse("a\n\"1\n"), Contains("line 2: a quoted field is not closed"));
  CHECK_THROWS_WITH(parse("a\n1.5x\n").vector("a"),
                    Contains("column \"a\", line 2: not a number: \"1.5x\""));
  CHECK_THROWS_WITH(parse("a\n99999999999\n").integers("a"), Contains("not an integer"));
  CHECK_THROWS_WITH(parse("a\n\n\n0\n").indices("a"),
                    Contains("line 4: an index must be at least 1 (1-based), got 0"));
  // A long cell is shortened in the message.
  const std::string long_cell(500, 'q');
  try {
    (void)parse("a\n" + long_cell + "\n").vector("a");
    FAIL("no exception");
  } catch (const sx::csv_table_error& e) {
    CHECK(std::string(e.what()).size() < 150);
  }
}
