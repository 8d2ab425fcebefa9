// expect: error: invalid application of .sizeof. to incomplete type .statix::a_deterministic_variable_cannot_be_observed<statix::fixed_string<6>{"theta"}
// at most 15 lines
// A deterministic is a function of parameters, not a random variable.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  Eigen::VectorXd y(2);
  y << 1.0, 2.0;
  auto mu = sx::normal<"mu">(0.0, 5.0);
  auto theta = sx::deterministic<"theta">(2.0 * mu);
  theta.observe(y);
  return 0;
}
