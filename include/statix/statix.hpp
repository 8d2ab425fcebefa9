#pragma once

// Statix umbrella header: the only header users need.
#include "statix/core/macros.hpp"

namespace statix {
inline constexpr int version_major = 0;
} // namespace statix
