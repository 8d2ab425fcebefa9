#pragma once

namespace statix {

// Where a model variable sits among the recorded quantities of a draw
// (model.output_range<Name>()): what fits and results read a variable by.
struct output_slot {
  int offset = 0;
  int size = 1;
  bool is_scalar = true;
};

} // namespace statix
