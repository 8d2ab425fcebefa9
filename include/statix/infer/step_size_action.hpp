#pragma once

namespace statix {

// What a metric warm-up asks of the step size after it has seen a draw.
enum class step_size_action {
  keep,         // go on adapting it
  reinitialise, // the metric changed: find a step size again, restart dual averaging
  restart       // the metric is final: restart dual averaging for the last window
};

} // namespace statix
