// expect: error: invalid application of .sizeof. to incomplete type .statix::variable_is_used_by_another_but_not_passed_to_sx_model<statix::fixed_string<4>{"tau"}, statix::fixed_string<6>{"theta"}
// at most 19 lines
// theta's prior reads tau, but tau is not part of the model.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto tau = sx::half_cauchy<"tau">(5.0);
  auto theta = sx::normal<"theta">(mu, tau, sx::size(8));
  auto model = sx::model(mu, theta);
  return model.dim();
}
