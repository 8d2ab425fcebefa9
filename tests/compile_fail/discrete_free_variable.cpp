// expect: discrete_variable_not_observed<statix::fixed_string<2>{"k"}.*statix: a discrete distribution can only be observed
// at most 18 lines
// A Poisson count cannot be a free (sampled) variable.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto rate = sx::gamma<"rate">(2.0, 1.0);
  auto k = sx::poisson<"k">(rate);
  auto model = sx::model(rate, k);
  return model.dim();
}
