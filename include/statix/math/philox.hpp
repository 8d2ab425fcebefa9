#pragma once

#include <cstdint>

#include "statix/base/macros.hpp"

// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror & Shaw,
// "Parallel random numbers: as easy as 1, 2, 3" (SC 2011): a 10-round
// multiply/xor bijection of a 128-bit counter under a 64-bit key. There is no
// hidden state to advance, so any chain can start anywhere: the key is the
// seed and the upper half of the counter the stream (the chain index), as in
// cuRAND's Philox, so draws depend on (seed, chain) only, never on threads.
namespace statix::random {

struct philox4x32_counter {
  std::uint32_t word[4];
};

struct philox4x32_key {
  std::uint32_t word[2];
};

// The Philox4x32 bijection with 10 rounds (Random123's philox4x32_R(10, ...)).
STATIX_HD constexpr philox4x32_counter philox4x32_10(philox4x32_counter counter,
                                                     philox4x32_key key) {
  constexpr std::uint32_t multiplier0 = 0xD2511F53u;
  constexpr std::uint32_t multiplier1 = 0xCD9E8D57u;
  constexpr std::uint32_t weyl0 = 0x9E3779B9u; // golden ratio
  constexpr std::uint32_t weyl1 = 0xBB67AE85u; // sqrt(3) - 1
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key.word[0] += weyl0;
      key.word[1] += weyl1;
    }
    const std::uint64_t product0 = std::uint64_t{multiplier0} * counter.word[0];
    const std::uint64_t product1 = std::uint64_t{multiplier1} * counter.word[2];
    const auto hi0 = static_cast<std::uint32_t>(product0 >> 32);
    const auto lo0 = static_cast<std::uint32_t>(product0);
    const auto hi1 = static_cast<std::uint32_t>(product1 >> 32);
    const auto lo1 = static_cast<std::uint32_t>(product1);
    counter = philox4x32_counter{
        {hi1 ^ counter.word[1] ^ key.word[0], lo1, hi0 ^ counter.word[3] ^ key.word[1], lo0}};
  }
  return counter;
}

// A UniformRandomBitGenerator over the Philox stream of (seed, stream):
// counter = (block low, block high, stream low, stream high), key = seed.
// Each block gives four 32-bit words; 2^64 blocks per stream.
class philox {
public:
  using result_type = std::uint32_t;

  STATIX_HD static constexpr result_type min() { return 0u; }
  STATIX_HD static constexpr result_type max() { return 0xFFFFFFFFu; }

  STATIX_HD constexpr philox() : philox(0u, 0u) {}
  STATIX_HD constexpr explicit philox(std::uint64_t seed, std::uint64_t stream = 0)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        stream_(stream) {}

  STATIX_HD constexpr result_type operator()() {
    if (next_ == 4) {
      refill();
    }
    return buffer_.word[next_++];
  }

  // A uniform double in the open interval (0, 1) from 53 random bits: k / 2^53
  // with k uniform on 1 .. 2^53 - 1 (k = 0 is drawn again).
  STATIX_HD constexpr double uniform01() {
    for (;;) {
      const std::uint64_t high = (*this)();
      const std::uint64_t low = (*this)();
      const std::uint64_t k = (high << 21) | (low >> 11);
      if (k != 0) {
        return static_cast<double>(k) * 0x1.0p-53;
      }
    }
  }

  // Skips n words, as n calls of operator() would.
  STATIX_HD constexpr void discard(std::uint64_t n) {
    const std::uint64_t target = position() + n;
    block_ = target / 4;
    next_ = 4;
    if (target % 4 != 0) {
      refill();
      next_ = static_cast<int>(target % 4);
    }
  }

  STATIX_HD constexpr std::uint64_t seed() const {
    return std::uint64_t{key_.word[0]} | (std::uint64_t{key_.word[1]} << 32);
  }
  STATIX_HD constexpr std::uint64_t stream() const { return stream_; }

  friend STATIX_HD constexpr bool operator==(const philox& a, const philox& b) {
    return a.seed() == b.seed() && a.stream_ == b.stream_ && a.position() == b.position();
  }

private:
  // Words consumed since the start of the stream.
  STATIX_HD constexpr std::uint64_t position() const {
    return next_ == 4 ? 4 * block_ : 4 * (block_ - 1) + static_cast<std::uint64_t>(next_);
  }

  STATIX_HD constexpr void refill() {
    const philox4x32_counter counter{
        {static_cast<std::uint32_t>(block_), static_cast<std::uint32_t>(block_ >> 32),
         static_cast<std::uint32_t>(stream_), static_cast<std::uint32_t>(stream_ >> 32)}};
    buffer_ = philox4x32_10(counter, key_);
    ++block_;
    next_ = 0;
  }

  philox4x32_key key_;
  std::uint64_t stream_;
  std::uint64_t block_ = 0;     // the next block to compute
  philox4x32_counter buffer_{}; // words of block_ - 1
  int next_ = 4;                // next word of buffer_ to return; 4 = none left
};

} // namespace statix::random
