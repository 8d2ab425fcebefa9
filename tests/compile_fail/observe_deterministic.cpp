// expect: Name = statix::name_t<.t., .h., .e., .t., .a.>.*statix: a deterministic variable cannot be observed
// at most 16 lines
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
