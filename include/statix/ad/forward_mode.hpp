#pragma once

#include "statix/math/dual.hpp"

namespace statix {

// Tag selecting forward mode: `model.log_density_gradient(x, grad, sx::forward_mode)`.
struct forward_mode_t {};
inline constexpr forward_mode_t forward_mode{};

// Directions carried per forward pass (dual tangent lanes): the gradient takes
// ceil(dim / forward_lanes) passes; the Hessian hessian_lanes columns per
// forward-over-reverse pass.
inline constexpr int forward_lanes = 8;
inline constexpr int hessian_lanes = 4;

} // namespace statix
