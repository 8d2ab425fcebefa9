#pragma once

#include <map>
#include <string>
#include <vector>

namespace statix {

// Values by name on the constrained scale, scalars as one-element vectors:
// user inits for the samplers, and what model.unconstrain_into reads.
using named_values = std::map<std::string, std::vector<double>>;

} // namespace statix
