#pragma once

// The math layer in one include: constants, plain special functions and their
// dual-number overloads. Generic code calls them qualified
// (statix::math::lgamma(x)) for double and dual alike, which works because the
// dual overloads are declared here, before any code that uses them.
#include "statix/math/constants.hpp"
#include "statix/math/dual.hpp"
#include "statix/math/scalar_functions.hpp"
#include "statix/math/scalar_traits.hpp"
