#pragma once

// One reproducible stream of uniforms that both samplers draw from in the
// equivalence check (nuts_stan_equivalence.cpp): Statix through a generator
// with a uniform01() member, Stan through a Boost-style engine whose
// result_type is double in [0, 1] (boost::uniform_01 then returns the values
// unchanged). Momenta are made from the same uniforms in both by Box-Muller
// (box_muller_fill below, in place of Statix's ziggurat and Boost's), so that
// when the two samplers take the same decisions they consume the same numbers
// in the same order. C++14: included by the Stan translation unit too.

#include <cmath>
#include <cstdint>

namespace statix_bench {

class uniform_stream {
public:
  explicit uniform_stream(std::uint64_t seed) : state_(seed) {}

  // splitmix64 (Steele, Lea & Flood 2014), 53 bits, in (0, 1).
  double next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    ++count_;
    return (static_cast<double>(z >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  }

  long long count() const { return count_; }

private:
  std::uint64_t state_;
  long long count_ = 0;
};

// Standard normals by Box-Muller: both values of each pair, the last one of
// an odd count as statix::random::std_normal draws one.
inline void box_muller_fill(uniform_stream& stream, double* v, int n) {
  const double two_pi = 6.28318530717958647692528676655900577;
  int i = 0;
  for (; i + 1 < n; i += 2) {
    const double radius = std::sqrt(-2.0 * std::log(stream.next()));
    const double angle = two_pi * stream.next();
    v[i] = radius * std::cos(angle);
    v[i + 1] = radius * std::sin(angle);
  }
  if (i < n) {
    const double u1 = stream.next();
    const double u2 = stream.next();
    v[i] = std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
  }
}

} // namespace statix_bench
