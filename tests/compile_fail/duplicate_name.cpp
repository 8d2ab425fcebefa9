// expect: variable_declared_twice<statix::fixed_string<3>{"mu"}.*statix: a variable name is declared twice
// at most 18 lines
// Two variables named "mu" in one model.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto mu = sx::normal<"mu">(0.0, 1.0);
  auto mu_again = sx::normal<"mu">(0.0, 2.0);
  auto model = sx::model(mu, mu_again);
  return model.dim();
}
