// expect: error: invalid application of .sizeof. to incomplete type .statix::sx_factor_takes_a_scalar_expression_sum_a_vector_first<statix::fixed_string<2>{"f"}
// at most 11 lines
// sx::factor adds one number to the log density; a vector must be summed first.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto b = sx::normal<"b">(0.0, 1.0, sx::size(3));
  auto f = sx::factor<"f">(-0.5 * b * b);
  auto model = sx::model(b, f);
  return model.dim();
}
