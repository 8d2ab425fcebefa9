// Philox4x32-10 against the Random123 known-answer vectors, and the
// generator's stream, seed, discard and bit-generator contracts.
#include <catch2/catch.hpp>

#include <boost/math/distributions/chi_squared.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "statix/math/random.hpp"

using statix::random::philox;
using statix::random::philox4x32_10;
using statix::random::philox4x32_counter;
using statix::random::philox4x32_key;

namespace {

bool same_words(philox4x32_counter actual, std::uint32_t w0, std::uint32_t w1, std::uint32_t w2,
                std::uint32_t w3) {
  return actual.word[0] == w0 && actual.word[1] == w1 && actual.word[2] == w2 &&
         actual.word[3] == w3;
}

} // namespace

// Random123's kat_vectors, lines "philox4x32 10 <counter x4> <key x2> <result x4>".
TEST_CASE("philox4x32_10 reproduces the Random123 known-answer vectors", "[math]") {
  CHECK(same_words(philox4x32_10({{0, 0, 0, 0}}, {{0, 0}}), 0x6627e8d5, 0xe169c58d, 0xbc57ac4c,
                   0x9b00dbd8));
  CHECK(same_words(
      philox4x32_10({{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, {{0xffffffff, 0xffffffff}}),
      0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd));
  CHECK(same_words(
      philox4x32_10({{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}}),
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1));
  // usable at compile time
  STATIC_REQUIRE(philox4x32_10({{0, 0, 0, 0}}, {{0, 0}}).word[0] == 0x6627e8d5u);
}

TEST_CASE("philox draws block after block of the (seed, stream) counter", "[math]") {
  const std::uint64_t seed = 0x0123456789abcdefULL;
  const std::uint64_t stream = 0xfedcba9876543210ULL;
  philox g(seed, stream);
  CHECK(g.seed() == seed);
  CHECK(g.stream() == stream);
  const philox4x32_key key{{0x89abcdefu, 0x01234567u}};
  for (std::uint32_t block = 0; block < 3; ++block) {
    const philox4x32_counter expected = philox4x32_10({{block, 0, 0x76543210u, 0xfedcba98u}}, key);
    for (int i = 0; i < 4; ++i) {
      CHECK(g() == expected.word[i]);
    }
  }
}

TEST_CASE("philox is a UniformRandomBitGenerator", "[math]") {
  STATIC_REQUIRE(std::uniform_random_bit_generator<philox>);
  STATIC_REQUIRE(philox::min() == 0u);
  STATIC_REQUIRE(philox::max() == 0xffffffffu);
  STATIC_REQUIRE(std::is_trivially_copyable_v<philox>);
  philox g(3);
  std::uniform_int_distribution<int> die(1, 6);
  int total = 0;
  for (int i = 0; i < 6000; ++i) {
    total += die(g);
  }
  CHECK(total > 6000 * 3.5 - 500);
  CHECK(total < 6000 * 3.5 + 500);
}

TEST_CASE("philox: the same (seed, stream) reproduces, other streams and seeds differ", "[math]") {
  philox a(42, 7);
  philox b(42, 7);
  int mismatches = 0;
  for (int i = 0; i < 10000; ++i) {
    mismatches += a() != b() ? 1 : 0;
  }
  philox copy = a;
  for (int i = 0; i < 100; ++i) {
    mismatches += copy() != a() ? 1 : 0;
  }
  CHECK(mismatches == 0);
  CHECK(copy == a);

  const auto count_equal = [](philox x, philox y) {
    int equal = 0;
    for (int i = 0; i < 1000; ++i) {
      equal += x() == y() ? 1 : 0;
    }
    return equal;
  };
  CHECK(count_equal(philox(42, 0), philox(42, 1)) < 3);
  CHECK(count_equal(philox(42, 0), philox(43, 0)) < 3);
  CHECK(count_equal(philox(0, 1), philox(1, 0)) < 3);
  CHECK(count_equal(philox(42, 0), philox(42, std::uint64_t{1} << 40)) < 3);
  CHECK_FALSE(philox(42, 0) == philox(42, 1));
}

TEST_CASE("philox discard(n) skips exactly n words", "[math]") {
  for (int start : {0, 1, 3, 4, 6}) {
    for (std::uint64_t n : {0ULL, 1ULL, 2ULL, 3ULL, 4ULL, 5ULL, 7ULL, 1000ULL, 12345ULL}) {
      INFO("start " << start << ", skip " << n);
      philox stepped(9, 2);
      philox skipped(9, 2);
      for (int i = 0; i < start; ++i) {
        stepped();
        skipped();
      }
      for (std::uint64_t i = 0; i < n; ++i) {
        stepped();
      }
      skipped.discard(n);
      CHECK(skipped == stepped);
      for (int i = 0; i < 9; ++i) {
        CHECK(skipped() == stepped());
      }
    }
  }
}

TEST_CASE("philox uniform01 is in (0, 1) with 53 random bits", "[math]") {
  philox g(2024, 1);
  philox same(2024, 1);
  const int n = 1000000;
  double sum = 0;
  int odd = 0; // the lowest of the 53 bits is random too
  int outside = 0;
  int not_on_grid = 0;
  int differ = 0;
  for (int i = 0; i < n; ++i) {
    const double u = g.uniform01();
    outside += (u > 0.0 && u < 1.0) ? 0 : 1;
    differ += statix::random::uniform01(same) == u ? 0 : 1;
    sum += u;
    const auto k = static_cast<std::uint64_t>(u * 0x1.0p53);
    not_on_grid += static_cast<double>(k) == u * 0x1.0p53 ? 0 : 1;
    odd += static_cast<int>(k & 1u);
  }
  CHECK(outside == 0);
  CHECK(differ == 0);
  CHECK(not_on_grid == 0);
  const double mean_sd = std::sqrt(1.0 / 12 / n);
  CHECK(std::fabs(sum / n - 0.5) < 5 * mean_sd);
  CHECK(std::fabs(odd - n / 2.0) < 5 * std::sqrt(n / 4.0));
}

TEST_CASE("philox words are uniform bytes (chi-square)", "[math]") {
  philox g(77, 0);
  std::vector<double> counts(256, 0.0);
  const int n = 1 << 20;
  for (int i = 0; i < n; ++i) {
    const std::uint32_t w = g();
    counts[w & 0xffu] += 1; // lowest and highest byte
    counts[w >> 24] += 1;
  }
  const double expected = 2.0 * n / 256;
  double statistic = 0;
  for (double c : counts) {
    statistic += (c - expected) * (c - expected) / expected;
  }
  const double p = boost::math::cdf(complement(boost::math::chi_squared(255), statistic));
  INFO("chi-square " << statistic << ", p = " << p);
  CHECK(p > 1e-4);
}
