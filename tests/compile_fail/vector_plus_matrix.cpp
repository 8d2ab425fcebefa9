// expect: statix: a vector and a matrix cannot be combined elementwise
// at most 20 lines
// An elementwise operation between a vector and a matrix.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto v = sx::normal<"v">(0.0, 1.0, sx::size(3));
  auto m = sx::normal<"m">(0.0, 1.0, sx::size(3, 3));
  auto d = sx::deterministic<"d">(v + m);
  auto model = sx::model(v, m, d);
  return model.dim();
}
