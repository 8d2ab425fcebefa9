// expect: error: invalid application of .sizeof. to incomplete type .statix::discrete_variable_must_be_observed<statix::fixed_string<2>{"k"}
// at most 16 lines
// A Poisson count cannot be a free (sampled) variable.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto rate = sx::gamma<"rate">(2.0, 1.0);
  auto k = sx::poisson<"k">(rate);
  auto model = sx::model(rate, k);
  return model.dim();
}
