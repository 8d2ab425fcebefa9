// expect: statix: a flat variable cannot be observed
// at most 18 lines
// A flat simplex has no density to observe data with.
#include <statix/statix.hpp>
namespace sx = statix;

int main() {
  auto p = sx::flat<"p">(sx::simplex(3));
  auto y = p.observe(Eigen::VectorXd::Constant(3, 1.0 / 3));
  return y.size();
}
