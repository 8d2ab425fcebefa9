// expect: statix: vector \* matrix is not defined
// at most 26 lines
// A vector on the left of a matrix: vectors are columns.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto v = sx::normal<"v">(0.0, 1.0, sx::size(3));
  auto m = sx::normal<"m">(0.0, 1.0, sx::size(3, 3));
  auto d = sx::deterministic<"d">(v * m);
  auto model = sx::model(v, m, d);
  return model.dim();
}
