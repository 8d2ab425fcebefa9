#pragma once

// Whether two fits hold the same draws, chain by chain, to the bit: the
// reproducibility checks of the many-chain samplers (over thread counts,
// host threads against a device system).

#include <cstddef>

namespace statix_test {

template <class Fit>
bool same_draws(const Fit& a, const Fit& b) {
  if (a.num_chains() != b.num_chains()) return false;
  for (int c = 0; c < a.num_chains(); ++c)
    if (a.chains()[static_cast<std::size_t>(c)].draws !=
        b.chains()[static_cast<std::size_t>(c)].draws)
      return false;
  return true;
}

} // namespace statix_test
