// expect: statix: sx::scan.init, n, step.: the step returns a scalar
// at most 15 lines
// A scan's state is a scalar: a step that returns a vector is rejected.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto phi = sx::normal<"phi">(0.0, 1.0, sx::size(3));
  auto h = sx::deterministic<"h">(sx::scan(0.0, 10, [&](auto prev, auto) { return phi * prev; }));
  auto model = sx::model(phi, h);
  return model.dim();
}
