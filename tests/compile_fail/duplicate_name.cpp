// expect: error: invalid application of .sizeof. to incomplete type .statix::a_variable_name_is_declared_twice_in_sx_model<statix::fixed_string<3>{"mu"}
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
