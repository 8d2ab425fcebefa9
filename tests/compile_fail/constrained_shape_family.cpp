// expect: make_random_variable<fixed_string<2>{"p"}.*statix: a constrained shape
// at most 19 lines
// A simplex shape given to a family on the unit interval.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto p = sx::beta<"p">(2.0, 2.0, sx::simplex(3));
  auto model = sx::model(p);
  return model.dim();
}
