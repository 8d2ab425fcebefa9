// expect: statix: sx::transpose takes a matrix
// at most 16 lines
// sx::transpose of a vector (vectors are columns; there are no row vectors).
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto v = sx::normal<"v">(0.0, 1.0, sx::size(3));
  auto d = sx::deterministic<"d">(sx::transpose(v));
  auto model = sx::model(v, d);
  return model.dim();
}
