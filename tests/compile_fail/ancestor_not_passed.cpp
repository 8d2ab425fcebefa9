// expect: variable_not_passed_to_model<statix::fixed_string<4>{"tau"}, statix::fixed_string<6>{"theta"}.*statix: a variable is used by another variable but was not passed to sx::model
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
