// expect: statix: sx::factor<.name.>.expr. takes a scalar expression
// at most 14 lines
// sx::factor adds one number to the log density; a vector must be summed first.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto b = sx::normal<"b">(0.0, 1.0, sx::size(3));
  auto f = sx::factor<"f">(-0.5 * b * b);
  auto model = sx::model(b, f);
  return model.dim();
}
